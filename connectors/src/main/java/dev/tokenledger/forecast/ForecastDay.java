package dev.tokenledger.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One forecast day: the expected spend and its 80% band, USD at {@link Forecaster#SCALE} decimals. {@code low} and
 * {@code high} are null when there is no band (under {@link Forecaster#MIN_HISTORY_DAYS} days of history, or too
 * few backtests yet).
 */
public record ForecastDay(LocalDate day, BigDecimal forecastUsd, BigDecimal lowUsd, BigDecimal highUsd) {
}
