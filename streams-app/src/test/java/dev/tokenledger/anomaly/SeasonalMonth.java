package dev.tokenledger.anomaly;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates hourly rollups of a few features with daily and weekly seasonality and noise, and lets a
 * test plant a change. The noise of each line in each hour comes from its own seeded Random, so a
 * planted month has exactly the noise of the steady one, and any arrival order has the same rows.
 */
final class SeasonalMonth {

    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    static final long HOUR = 3_600_000L;

    /** Per-token prices: uncached input, cache read, cache write, output. */
    static final Map<String, BigDecimal[]> PRICES = Map.of(
            "claude-3-5-haiku", prices("0.0000008", "0.00000008", "0.000001", "0.000004"),
            "claude-sonnet-4-5", prices("0.000003", "0.0000003", "0.00000375", "0.000015"),
            "gpt-4o-mini", prices("0.00000015", "0.000000075", "0", "0.0000006"));

    /** One generated row's parameters for one hour; a plant may change them or split the row. */
    static final class Line {
        String team;
        String feature;
        String customer;
        String provider;
        String model;
        double requestsPerHour;
        double inputPerRequest;
        double cacheShare;
        double outputPerRequest;
        double retryShare = 0.02;
        double failureShare = 0.01;
        boolean priced = true;

        Line(String team, String feature, String customer, String provider, String model, double requestsPerHour,
             double inputPerRequest, double cacheShare, double outputPerRequest) {
            this.team = team;
            this.feature = feature;
            this.customer = customer;
            this.provider = provider;
            this.model = model;
            this.requestsPerHour = requestsPerHour;
            this.inputPerRequest = inputPerRequest;
            this.cacheShare = cacheShare;
            this.outputPerRequest = outputPerRequest;
        }

        Line copy() {
            Line l = new Line(team, feature, customer, provider, model, requestsPerHour, inputPerRequest, cacheShare, outputPerRequest);
            l.retryShare = retryShare;
            l.failureShare = failureShare;
            l.priced = priced;
            return l;
        }
    }

    /** A planted change: the lines of {@code line} in the hour starting at {@code hourMs}. */
    interface Plant {
        List<Line> apply(long hourMs, Line line);
    }

    static List<Line> steadyLines() {
        return List.of(
                new Line("support", "support-reply", "acme", "anthropic", "claude-3-5-haiku", 600, 1500, 0.5, 300),
                new Line("support", "support-reply", "globex", "anthropic", "claude-3-5-haiku", 300, 1500, 0.5, 300),
                new Line("support", "support-reply", "initech", "anthropic", "claude-3-5-haiku", 200, 1500, 0.5, 300),
                new Line("search", "search-summarize", "acme", "openai", "gpt-4o-mini", 1000, 3000, 0.3, 200),
                new Line("search", "search-summarize", "globex", "openai", "gpt-4o-mini", 500, 3000, 0.3, 200),
                new Line("dev", "code-review", "-", "anthropic", "claude-sonnet-4-5", 150, 8000, 0.7, 800),
                new Line("unallocated", "unallocated", "-", "openai", "gpt-4o-mini", 80, 2000, 0.2, 300));
    }

    static List<Rollup> generate(long seed, int days, Plant... plants) {
        return generate(seed, days, 1.0, plants);
    }

    /** @param noise scales every noise level (1: 8% on requests, 3% on tokens per request, 20% on retries) */
    static List<Rollup> generate(long seed, int days, double noise, Plant... plants) {
        List<Rollup> out = new ArrayList<>();
        List<Line> lines = steadyLines();
        for (int h = 0; h < days * 24; h++) {
            long hourMs = START.toEpochMilli() + h * HOUR;
            for (int i = 0; i < lines.size(); i++) {
                List<Line> planted = List.of(lines.get(i).copy());
                for (Plant p : plants) {
                    List<Line> next = new ArrayList<>();
                    for (Line l : planted) {
                        next.addAll(p.apply(hourMs, l));
                    }
                    planted = next;
                }
                for (int k = 0; k < planted.size(); k++) {
                    Random random = new Random(seed * 1_000_003L + h * 131L + i * 17L + k);
                    Rollup r = rollup(hourMs, planted.get(k), season(hourMs), new ScaledNoise(random, noise));
                    if (r.getRequests() > 0) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    /** Gaussian noise of a line-hour, scaled. */
    record ScaledNoise(Random random, double scale) {
        double nextGaussian() {
            return scale * random.nextGaussian();
        }
    }

    /** Busiest 09:00-17:00 UTC, a third of that at night, half on weekends. */
    static double season(long hourMs) {
        int hourOfDay = (int) ((hourMs / HOUR) % 24);
        int dayOfWeek = (int) (((hourMs / (24 * HOUR)) + 3) % 7); // 1970-01-01 was a Thursday: 0 = Monday
        double daily = hourOfDay >= 7 && hourOfDay <= 20 ? 0.35 + 0.65 * Math.sin(Math.PI * (hourOfDay - 6) / 15.0) : 0.35;
        return daily * (dayOfWeek >= 5 ? 0.5 : 1.0);
    }

    static Rollup rollup(long hourMs, Line l, double season, ScaledNoise noise) {
        long requests = Math.round(l.requestsPerHour * season * Math.exp(0.08 * noise.nextGaussian()));
        long input = Math.round(requests * l.inputPerRequest * Math.exp(0.03 * noise.nextGaussian()));
        double share = Math.min(1, Math.max(0, l.cacheShare + 0.02 * noise.nextGaussian()));
        long cacheRead = Math.round(input * share);
        long cacheWrite = Math.min(input - cacheRead, Math.round(input * 0.02));
        long uncached = input - cacheRead - cacheWrite;
        long output = Math.round(requests * l.outputPerRequest * Math.exp(0.03 * noise.nextGaussian()));
        long retries = Math.min(requests, Math.round(requests * l.retryShare * Math.exp(0.2 * noise.nextGaussian())));
        long failures = Math.min(requests, Math.round(requests * l.failureShare * Math.exp(0.2 * noise.nextGaussian())));
        return build(hourMs, l, requests, failures, retries, input, uncached, cacheRead, cacheWrite, output);
    }

    static Rollup build(long hourMs, Line l, long requests, long failures, long retries, long input, long uncached,
                        long cacheRead, long cacheWrite, long output) {
        BigDecimal[] p = PRICES.get(l.model);
        BigDecimal zero = Money.ZERO.toBigDecimal();
        CostBreakdown cost;
        if (l.priced && p != null) {
            BigDecimal u = Money.times(uncached, p[0]).toBigDecimal();
            BigDecimal cr = Money.times(cacheRead, p[1]).toBigDecimal();
            BigDecimal cw = Money.times(cacheWrite, p[2]).toBigDecimal();
            BigDecimal o = Money.times(output, p[3]).toBigDecimal();
            cost = new CostBreakdown(u, cr, cw, o, zero, zero, u.add(cr).add(cw).add(o));
        } else {
            cost = new CostBreakdown(zero, zero, zero, zero, zero, zero, zero);
        }
        BigDecimal retryCost = requests == 0 ? zero
                : cost.getTotal().multiply(BigDecimal.valueOf(retries)).divide(BigDecimal.valueOf(requests), Money.SCALE, RoundingMode.HALF_EVEN);
        return Rollup.newBuilder()
                .setGranularity("hourly")
                .setWindowStart(Instant.ofEpochMilli(hourMs))
                .setWindowEnd(Instant.ofEpochMilli(hourMs + HOUR))
                .setTeam(l.team).setFeature(l.feature).setCustomerId(l.customer).setEnvironment("prod")
                .setProvider(l.provider).setModel(l.model)
                .setRequests(requests).setSuccesses(requests - failures).setFailures(failures).setRetries(retries)
                .setUnpricedRequests(l.priced && p != null ? 0 : requests)
                .setInputTokens(input).setUncachedInputTokens(uncached).setCacheReadInputTokens(cacheRead)
                .setCacheCreationInputTokens(cacheWrite).setOutputTokens(output).setReasoningOutputTokens(0)
                .setCost(cost).setRetryCostUsd(retryCost)
                .setProviderReportedCostUsd(zero).setProviderReportedRequests(0)
                .setLastEventAt(Instant.ofEpochMilli(hourMs + HOUR - 1))
                .build();
    }

    static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    /** Applies {@code change} to the lines of {@code feature} (and {@code customer} unless null) from {@code fromMs} until {@code untilMs}. */
    static Plant during(long fromMs, long untilMs, String feature, String customer, java.util.function.Function<Line, List<Line>> change) {
        return (hourMs, line) -> hourMs >= fromMs && hourMs < untilMs && line.feature.equals(feature)
                && (customer == null || line.customer.equals(customer)) ? change.apply(line) : List.of(line);
    }

    static List<Anomaly> run(AnomalySettings settings, List<Rollup> rollups) {
        AnomalyEngine engine = new AnomalyEngine(settings);
        List<Anomaly> out = new ArrayList<>();
        for (Rollup r : rollups) {
            out.addAll(engine.accept(r));
        }
        out.addAll(engine.flush());
        return out;
    }

    private static BigDecimal[] prices(String... perToken) {
        BigDecimal[] p = new BigDecimal[perToken.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = new BigDecimal(perToken[i]);
        }
        return p;
    }
}
