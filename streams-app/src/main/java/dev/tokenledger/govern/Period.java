package dev.tokenledger.govern;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/** A budget period on the UTC calendar: the month or the day an instant falls in. */
public enum Period {
    MONTHLY("monthly"),
    DAILY("daily");

    private final String id;

    Period(String id) {
        this.id = id;
    }

    /** The name used in budgets, keys and outputs: {@code monthly} or {@code daily}. */
    public String id() {
        return id;
    }

    public static Optional<Period> parse(String id) {
        for (Period p : values()) {
            if (p.id.equals(id)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Start (inclusive, epoch millis) of the period containing {@code epochMs}. */
    public long start(long epochMs) {
        LocalDate day = Instant.ofEpochMilli(epochMs).atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate first = this == MONTHLY ? day.withDayOfMonth(1) : day;
        return first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** End (exclusive) of the period that starts at {@code start}. */
    public long end(long start) {
        LocalDate first = Instant.ofEpochMilli(start).atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate next = this == MONTHLY ? first.plusMonths(1) : first.plusDays(1);
        return next.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
