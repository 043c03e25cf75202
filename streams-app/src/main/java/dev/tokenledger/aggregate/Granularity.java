package dev.tokenledger.aggregate;

import java.time.Duration;

/** The tumbling window sizes rollups are kept at. Windows are aligned to the UTC epoch. */
public enum Granularity {
    HOURLY("hourly", Duration.ofHours(1)),
    DAILY("daily", Duration.ofDays(1));

    private final String label;
    private final long sizeMs;

    Granularity(String label, Duration size) {
        this.label = label;
        this.sizeMs = size.toMillis();
    }

    public String label() {
        return label;
    }

    public long sizeMs() {
        return sizeMs;
    }

    public long windowStart(long timestampMs) {
        return Math.floorDiv(timestampMs, sizeMs) * sizeMs;
    }

    public static Granularity of(String label) {
        for (Granularity g : values()) {
            if (g.label.equals(label)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown granularity " + label);
    }
}
