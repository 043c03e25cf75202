package dev.tokenledger.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One UTC day of a scope's traffic: its requests (the volume) and its exact cost. The forecaster reads a list of
 * these, one per day, in any order; a day that is missing counts as a day without traffic.
 */
public record DailySpend(LocalDate day, long requests, BigDecimal costUsd) {

    public DailySpend {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(costUsd, "costUsd");
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0, was " + requests);
        }
    }
}
