package dev.tokenledger.aggregate;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import java.time.Instant;

/**
 * Keys of the aggregate stage. The dimension key {@code team|feature|customer|environment|provider|model}
 * partitions the priced stream; the rollup key prefixes it with the granularity and the window
 * start ({@code hourly|2026-11-02T10:00:00Z|...}) and is the record key on {@code llm.rollups.v1},
 * so a downstream upsert by key keeps the latest value. A {@code |} or {@code %} inside a value is
 * percent-encoded so keys always split back into the same parts.
 */
public final class RollupKeys {

    public static final String NONE = "-";
    private static final char SEP = '|';

    private RollupKeys() {
    }

    public static String dimensions(PricedUsage p) {
        UsageEvent e = p.getEvent();
        return new StringBuilder(96)
                .append(escape(p.getAttribution().getTeam())).append(SEP)
                .append(escape(p.getAttribution().getFeature())).append(SEP)
                .append(escape(orNone(e.getCustomerId()))).append(SEP)
                .append(escape(orNone(e.getEnvironment()))).append(SEP)
                .append(escape(e.getProvider())).append(SEP)
                .append(escape(p.getBilledModel()))
                .toString();
    }

    public static String rollupKey(Granularity g, long windowStartMs, String dimensions) {
        return g.label() + SEP + Instant.ofEpochMilli(windowStartMs) + SEP + dimensions;
    }

    /**
     * Key of the rollup stage's delta store: {@code <hour start millis>|<workload or ->|<dimensions>}.
     * The workload is no rollup dimension but is a budget scope, so spend is summed per workload too.
     */
    public static String deltaKey(long hourStartMs, String workload, String dimensions) {
        return Long.toString(hourStartMs) + SEP + escape(orNone(workload)) + SEP + dimensions;
    }

    /**
     * Key of a {@link RollupOutput.ModelDay}: {@code <provider>|<day start millis>|<model>}, from a dimension
     * key and a time in the day.
     */
    public static String modelDayKey(String dimensions, long dayStartMs) {
        int provider = nth(dimensions, 4);
        int model = dimensions.indexOf(SEP, provider);
        return dimensions.substring(provider, model) + SEP + dayStartMs + SEP + dimensions.substring(model + 1);
    }

    /** The parts of a {@link #modelDayKey}, unescaped. */
    public record ModelDayKey(String provider, long dayStartMs, String model) {
    }

    public static ModelDayKey parseModelDay(String key) {
        int a = key.indexOf(SEP);
        int b = key.indexOf(SEP, a + 1);
        return new ModelDayKey(unescape(key.substring(0, a)), Long.parseLong(key.substring(a + 1, b)), unescape(key.substring(b + 1)));
    }

    /** Index just after the {@code n}-th separator. */
    private static int nth(String s, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.indexOf(SEP, at + 1);
        }
        return at + 1;
    }

    /** The parts of a {@link #deltaKey}: hour start and dimension key (the workload is in the delta itself). */
    public record ParsedDelta(long hourStartMs, String dimensions) {
    }

    public static ParsedDelta parseDelta(String deltaKey) {
        int a = deltaKey.indexOf(SEP);
        int b = deltaKey.indexOf(SEP, a + 1);
        return new ParsedDelta(Long.parseLong(deltaKey.substring(0, a)), deltaKey.substring(b + 1));
    }

    /** The parts of a rollup key: granularity, window start and the dimension key. */
    public record Parsed(Granularity granularity, long windowStartMs, String dimensions) {
    }

    public static Parsed parse(String rollupKey) {
        int a = rollupKey.indexOf(SEP);
        int b = rollupKey.indexOf(SEP, a + 1);
        return new Parsed(Granularity.of(rollupKey.substring(0, a)),
                Instant.parse(rollupKey.substring(a + 1, b)).toEpochMilli(),
                rollupKey.substring(b + 1));
    }

    /** The six dimension values, unescaped. */
    public static String[] split(String dimensions) {
        String[] parts = dimensions.split("\\|", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = unescape(parts[i]);
        }
        return parts;
    }

    static String orNone(String s) {
        return s == null || s.isBlank() ? NONE : s;
    }

    /** {@code |} and {@code %} percent-encoded, so a key's parts split back (other keys built of parts use it too). */
    public static String escape(String s) {
        if (s.indexOf(SEP) < 0 && s.indexOf('%') < 0) {
            return s;
        }
        return s.replace("%", "%25").replace("|", "%7C");
    }

    public static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        return s.replace("%7C", "|").replace("%25", "%");
    }
}
