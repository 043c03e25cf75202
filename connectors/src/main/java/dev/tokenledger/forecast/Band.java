package dev.tokenledger.forecast;

import java.math.BigDecimal;

/**
 * A forecast amount over some days and its 80% band, USD at {@link Forecaster#SCALE} decimals; {@code low} and
 * {@code high} are null when the forecast has no band.
 */
public record Band(BigDecimal forecastUsd, BigDecimal lowUsd, BigDecimal highUsd) {
}
