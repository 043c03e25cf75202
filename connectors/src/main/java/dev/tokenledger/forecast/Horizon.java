package dev.tokenledger.forecast;

import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** How far a forecast looks: to the end of the month it starts in, or to the end of the next calendar quarter. */
public enum Horizon {
    MONTH,
    QUARTER;

    /** The last day forecast, for a forecast whose first day is {@code firstDay}. */
    public LocalDate lastDay(LocalDate firstDay) {
        return switch (this) {
            case MONTH -> firstDay.with(TemporalAdjusters.lastDayOfMonth());
            case QUARTER -> {
                LocalDate nextQuarter = firstDay.plusMonths(3);
                int quarterLastMonth = nextQuarter.get(IsoFields.QUARTER_OF_YEAR) * 3;
                yield nextQuarter.withMonth(quarterLastMonth).with(TemporalAdjusters.lastDayOfMonth());
            }
        };
    }

    public static Horizon parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown --horizon '" + text + "', expected month or quarter", e);
        }
    }
}
