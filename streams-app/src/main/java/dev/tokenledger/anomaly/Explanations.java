package dev.tokenledger.anomaly;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The one line a person reads: what moved, since when, by how much, what drove it, and what to
 * check. Amounts are rounded for reading only; the exact ones are in the anomaly's fields.
 */
final class Explanations {

    static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final String[] MORE = {"longer inputs", "more cache reads", "more cache writes", "longer outputs", "more reasoning"};
    private static final String[] LESS = {"shorter inputs", "fewer cache reads", "fewer cache writes", "shorter outputs", "less reasoning"};
    /** Drivers smaller than this many points of cost per request are not worth a reader's attention. */
    private static final double MIN_POINTS = 0.5;

    private Explanations() {
    }

    static List<Anomaly.Driver> drivers(Drivers.Decomposition d) {
        if (d == null) {
            return List.of();
        }
        return List.of(
                new Anomaly.Driver("volume", d.volume(), "requests " + count(d.referenceRequests().doubleValue()) + "/h → "
                        + d.actualRequests() + " in the window"),
                new Anomaly.Driver("model_mix", d.modelMix(), mix(d)),
                new Anomaly.Driver("token_shape", d.tokenShape(), shape(d)),
                new Anomaly.Driver("rate", d.rate(), "price per token"));
    }

    static String line(Finding f, long onsetMs, Drivers.Decomposition d, BigDecimal impact) {
        String since = " since " + HOUR.format(Instant.ofEpochMilli(onsetMs));
        String soFar = signedUsd(impact) + " so far";
        return switch (f.kind()) {
            case UNIT_COST_DRIFT -> subject(f) + " cost per request " + pct(f.actual(), f.expected()) + since
                    + " (" + usd(f.expected()) + " → " + usd(f.actual()) + ")" + pointsPhrase(d) + "; " + soFar;
            case SPEND_SPIKE -> subject(f) + " spend " + usd(f.actual()) + "/h vs " + usd(f.expected()) + "/h expected ("
                    + pct(f.actual(), f.expected()) + ")" + since + dollarsPhrase(d) + "; " + soFar;
            case RETRY_STORM -> subject(f) + " " + f.measure() + " " + share(f.actual()) + " vs " + share(f.expected())
                    + " expected" + since + dollarsPhrase(d) + "; " + soFar
                    + (f.sources().isEmpty() ? "" : "; retries cost " + usd(f.sources().get(0).amountUsd()) + " in the latest hour")
                    + "; check the provider's status and the client's retry and timeout settings";
            case CACHE_HIT_DROP -> subject(f) + " cache reads " + share(f.actual()) + " of input tokens vs "
                    + share(f.expected()) + " expected" + since + pointsPhrase(d) + "; " + soFar
                    + "; check for a prompt change that broke the cached prefix";
            case TOKEN_SHAPE_CHANGE -> subject(f) + " " + f.measure() + " " + count(f.actual()) + " vs "
                    + count(f.expected()) + " expected (" + pct(f.actual(), f.expected()) + ")" + since
                    + pointsPhrase(d) + "; " + soFar;
            case NEW_UNPRICED_MODEL -> subject(f) + " unpriced" + since + " and never priced before (" + count(f.actual())
                    + " requests in the latest hour" + (f.sources().isEmpty() ? "" : ", from " + names(f.sources()))
                    + "); they count as $0 until the price book has the model";
            case COVERAGE_DROP -> "attribution coverage of " + DAY.format(Instant.ofEpochMilli(f.windowStartMs())) + " "
                    + share(f.actual()) + " (target " + share(f.expected()) + "): " + signedUsd(f.impactUsd())
                    + " untagged above the target; largest untagged sources: " + sources(f.sources())
                    + "; tag these calls with a feature or register their API keys";
        };
    }

    static String subject(Finding f) {
        return switch (f.scopeType()) {
            case "feature" -> f.model() == null ? f.scopeId() : f.scopeId() + " on " + shortModel(f.model());
            case "model" -> "model " + f.scopeId();
            default -> f.scopeType() + " " + f.scopeId();
        };
    }

    /** The per-request drivers as points of the reference cost per request, largest first. */
    private static String pointsPhrase(Drivers.Decomposition d) {
        if (d == null) {
            return "";
        }
        List<String[]> parts = new ArrayList<>();
        List<double[]> sizes = new ArrayList<>();
        addPoints(parts, sizes, d.volume(), d, "volume");
        addPoints(parts, sizes, d.modelMix(), d, "model mix " + mix(d));
        addPoints(parts, sizes, d.tokenShape(), d, shape(d));
        addPoints(parts, sizes, d.rate(), d, "price per token");
        if (parts.isEmpty()) {
            return "";
        }
        Integer[] order = new Integer[parts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> -Math.abs(sizes.get(i)[0])));
        StringBuilder sb = new StringBuilder(": ");
        for (int i = 0; i < order.length; i++) {
            String[] p = parts.get(order[i]);
            sb.append(i == 0 ? "" : ", ").append(p[0]).append(i == 0 ? " explains " : " ").append(p[1])
                    .append(i == 0 ? " points" : "");
        }
        return sb.toString();
    }

    private static void addPoints(List<String[]> parts, List<double[]> sizes, BigDecimal amount, Drivers.Decomposition d, String label) {
        double points = d.points(amount);
        if (Double.isFinite(points) && Math.abs(points) >= MIN_POINTS) {
            parts.add(new String[] {label.strip(), String.format(Locale.ROOT, "%+.0f", points)});
            sizes.add(new double[] {points});
        }
    }

    /** The drivers in dollars, largest first (for spend, where volume is part of the story). */
    private static String dollarsPhrase(Drivers.Decomposition d) {
        if (d == null) {
            return "";
        }
        List<Anomaly.Driver> ds = new ArrayList<>(drivers(d));
        ds.removeIf(x -> x.amountUsd().abs().compareTo(d.impact().abs().movePointLeft(2)) < 0 || x.amountUsd().signum() == 0);
        ds.sort(Comparator.comparing((Anomaly.Driver x) -> x.amountUsd().abs()).reversed());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ds.size(); i++) {
            Anomaly.Driver x = ds.get(i);
            String name = switch (x.name()) {
                case "model_mix" -> "model mix " + x.detail();
                case "token_shape" -> x.detail();
                case "rate" -> "price per token";
                default -> "volume";
            };
            sb.append(i == 0 ? ": " : ", ").append(name.strip()).append(i == 0 ? " explains " : " ").append(signedUsd(x.amountUsd()));
        }
        return sb.toString();
    }

    static String mix(Drivers.Decomposition d) {
        if (d.mixFrom() == null && d.mixTo() == null) {
            return "";
        }
        return (d.mixFrom() == null ? "" : shortModel(d.mixFrom()) + " ") + "→"
                + (d.mixTo() == null ? "" : " " + shortModel(d.mixTo()));
    }

    static String shape(Drivers.Decomposition d) {
        if (d.shapeClass() < 0) {
            return "token shape";
        }
        BigDecimal[] byClass = d.shapeByClass();
        if (d.shapeClass() == 0 && byClass[0].signum() > 0 && byClass[1].signum() < 0) {
            // More uncached input while cache reads fell: the same prompts, no longer served from the cache.
            return "cache misses";
        }
        return byClass[d.shapeClass()].signum() >= 0 ? MORE[d.shapeClass()] : LESS[d.shapeClass()];
    }

    private static String sources(List<Anomaly.Source> sources) {
        StringBuilder sb = new StringBuilder();
        for (Anomaly.Source s : sources) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.name()).append(' ').append(usd(s.amountUsd()));
        }
        return sb.toString();
    }

    private static String names(List<Anomaly.Source> sources) {
        StringBuilder sb = new StringBuilder();
        for (Anomaly.Source s : sources) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.name());
        }
        return sb.toString();
    }

    /** {@code provider/model} → {@code model}. */
    static String shortModel(String model) {
        int slash = model.indexOf('/');
        return slash < 0 ? model : model.substring(slash + 1);
    }

    static String pct(double actual, double expected) {
        if (expected <= 0) {
            return "new";
        }
        return String.format(Locale.ROOT, "%+.0f%%", (actual / expected - 1) * 100);
    }

    static String share(double s) {
        return String.format(Locale.ROOT, "%.1f%%", s * 100);
    }

    static String count(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String usd(double v) {
        return usd(BigDecimal.valueOf(v));
    }

    static String usd(BigDecimal v) {
        BigDecimal a = v.abs();
        String shown = a.compareTo(BigDecimal.ONE) >= 0 ? a.setScale(2, RoundingMode.HALF_EVEN).toPlainString()
                : a.signum() == 0 ? "0" : a.round(new MathContext(3, RoundingMode.HALF_EVEN)).stripTrailingZeros().toPlainString();
        return (v.signum() < 0 ? "-$" : "$") + shown;
    }

    static String signedUsd(BigDecimal v) {
        return (v.signum() >= 0 ? "+" : "") + usd(v);
    }
}
