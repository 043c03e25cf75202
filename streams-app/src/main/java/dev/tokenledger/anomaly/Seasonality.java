package dev.tokenledger.anomaly;

/**
 * Which past hours a {@link Baseline} compares an hour with. The richest one the history supports
 * is chosen for each scored hour, so a young series starts flat and becomes seasonal as it ages.
 */
public enum Seasonality {
    /** Every hour of the history. */
    FLAT("flat"),
    /** The same UTC hour of the day (09:00 against past 09:00s). */
    HOUR_OF_DAY("hour_of_day"),
    /** The same UTC hour of the same weekday (Monday 09:00 against past Monday 09:00s). */
    HOUR_OF_WEEK("hour_of_week");

    private final String id;

    Seasonality(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
