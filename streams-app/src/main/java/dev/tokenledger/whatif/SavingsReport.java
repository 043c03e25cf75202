package dev.tokenledger.whatif;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.money.Money;
import dev.tokenledger.warehouse.Table;
import dev.tokenledger.warehouse.WarehouseException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@code report savings}: the month's savings opportunities, ranked by dollars, without a scenario file. Each
 * candidate but retry waste is a generated one-lever scenario run through the what-if engine over the month's calls
 * (docs/whatif.md#savings-opportunities has the heuristics and their thresholds).
 */
public final class SavingsReport {

    /** A feature's mean input per call from which its inputs count as long. */
    static final long LONG_INPUT_TOKENS = 4_000;
    /** A cache-read share of input below this is low. */
    static final BigDecimal LOW_CACHE_SHARE = new BigDecimal("0.30");
    /** The share the cache lever raises it to. */
    static final BigDecimal TARGET_CACHE_SHARE = new BigDecimal("0.60");
    /** Of the tokens moved into the cache, the share billed as cache writes: one write per ten reads. */
    static final BigDecimal CACHE_WRITE_SHARE = new BigDecimal("0.1");
    /** Two models' task success rates within this many points are similar. */
    static final BigDecimal SIMILAR_SUCCESS_POINTS = new BigDecimal("5");

    public static final List<String> COLUMNS = List.of("rank", "lever", "feature", "savings_usd", "feature_actual_usd",
            "savings_pct", "detail", "evidence", "scenario");

    /** One opportunity: a lever on a feature and what it would have saved in the month. */
    record Opportunity(String lever, String feature, Money savings, Money featureActual, String detail, String evidence,
                       String scenarioYaml) {
    }

    private record Candidate(String lever, String feature, String detail, String evidence, String yaml, Scenario scenario) {
    }

    private SavingsReport() {
    }

    public static List<Opportunity> run(DataSource dataSource, YearMonth month, List<PriceEntry> baseline) {
        try (Connection connection = dataSource.getConnection()) {
            MonthProfile profile = new MonthProfile();
            MonthCalls.read(connection, month, profile::add);
            TaskOutcomes outcomes = MonthCalls.taskOutcomes(connection, month);
            Evaluation evaluation = new Evaluation(profile, outcomes, baseline);
            MonthCalls.read(connection, month, evaluation::add);
            List<Opportunity> found = evaluation.opportunities();
            found.addAll(retryWaste(connection, month, profile));
            found.sort(Comparator.comparing(Opportunity::savings).reversed()
                    .thenComparing(Opportunity::lever).thenComparing(Opportunity::feature));
            return found;
        } catch (SQLException e) {
            throw new WarehouseException("savings failed: " + e.getMessage(), e);
        }
    }

    /** The generated one-lever scenarios of a month, each re-pricing the calls of its feature with its own engine. */
    static final class Evaluation {
        private final List<Candidate> candidates;
        private final List<WhatIfEngine> engines = new ArrayList<>();
        private final List<WhatIfLedger> ledgers = new ArrayList<>();
        private final TaskOutcomes outcomes;

        Evaluation(MonthProfile profile, TaskOutcomes outcomes, List<PriceEntry> baseline) {
            this.candidates = candidates(profile, outcomes);
            this.outcomes = outcomes;
            // One baseline book for every candidate: none of them changes the book.
            dev.tokenledger.price.PriceBook book = dev.tokenledger.price.PriceBook.of(baseline);
            for (Candidate c : candidates) {
                engines.add(new WhatIfEngine(c.scenario(), book, baseline));
                ledgers.add(new WhatIfLedger());
            }
        }

        void add(MonthCall call) {
            for (int i = 0; i < candidates.size(); i++) {
                // Every candidate is a lever on one feature: the other calls are as they were.
                if (candidates.get(i).feature().equals(call.feature())) {
                    ledgers.get(i).add(engines.get(i).price(call));
                }
            }
        }

        /** The candidates that save money, in the order generated. */
        List<Opportunity> opportunities() {
            List<Opportunity> found = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                WhatIfResult.Row total = ledgers.get(i).result(c.scenario().name(), outcomes).total();
                if (total.savings().signum() > 0) {
                    found.add(new Opportunity(c.lever(), c.feature(), total.savings(), total.actual(), c.detail(),
                            c.evidence(), c.yaml()));
                }
            }
            return found;
        }
    }

    public static Table table(List<Opportunity> opportunities, YearMonth month, int top) {
        List<List<String>> rows = new ArrayList<>();
        int rank = 0;
        for (Opportunity o : opportunities) {
            if (top > 0 && rank == top) {
                break;
            }
            rank++;
            rows.add(java.util.Arrays.asList(Integer.toString(rank), o.lever(), o.feature(), o.savings().toPlainString(),
                    o.featureActual().toPlainString(), WhatIfReport.percent(o.savings(), o.featureActual()), o.detail(),
                    o.evidence(), o.scenarioYaml()));
        }
        List<String> notes = opportunities.isEmpty() ? List.of("no savings opportunity found in the month") : List.of();
        return new Table("savings opportunities, " + month, COLUMNS, rows).withNotes(notes);
    }

    private static List<Candidate> candidates(MonthProfile profile, TaskOutcomes outcomes) {
        List<Candidate> out = new ArrayList<>();
        for (Map.Entry<String, MonthProfile.Feature> e : profile.features.entrySet()) {
            String feature = e.getKey();
            MonthProfile.Feature f = e.getValue();
            batchCandidates(feature, f, out);
            cacheCandidate(feature, f, out);
            modelCandidates(feature, f, outcomes, out);
        }
        return out;
    }

    /** A workload that already sends some of a feature's calls as batch tolerates batch latency: the rest could go too. */
    private static void batchCandidates(String feature, MonthProfile.Feature f, List<Candidate> out) {
        for (Map.Entry<String, MonthProfile.Workload> w : f.workloads.entrySet()) {
            MonthProfile.Workload load = w.getValue();
            if (load.batchCalls == 0 || load.batchCalls == load.calls) {
                continue;
            }
            Scenario s = new Scenario("batch " + feature + "/" + w.getKey(), Optional.empty(), List.of(), List.of(),
                    Optional.of(new Scenario.BatchLever(Set.of(w.getKey()), Set.of(feature), 0)), List.of(), List.of());
            out.add(new Candidate("batch", feature,
                    "send workload " + w.getKey() + "'s " + (load.calls - load.batchCalls) + " other calls as batch",
                    load.batchCalls + " of " + load.calls + " calls of workload " + w.getKey() + " already batch; "
                            + load.notBatchCost.toPlainString() + " USD not sent as batch",
                    "batch: {workloads: [" + q(w.getKey()) + "], features: [" + q(feature) + "]}", s));
        }
    }

    private static void cacheCandidate(String feature, MonthProfile.Feature f, List<Candidate> out) {
        if (f.calls == 0 || f.inputTokens == 0 || f.repeatingCalls == 0) {
            return;
        }
        long meanInput = f.inputTokens / f.calls;
        BigDecimal share = BigDecimal.valueOf(f.cacheReadTokens).divide(BigDecimal.valueOf(f.inputTokens), 4, RoundingMode.HALF_UP);
        if (meanInput < LONG_INPUT_TOKENS || share.compareTo(LOW_CACHE_SHARE) >= 0) {
            return;
        }
        Scenario s = new Scenario("cache " + feature, Optional.empty(), List.of(), List.of(), Optional.empty(),
                List.of(new Scenario.CacheShare(feature, TARGET_CACHE_SHARE, CACHE_WRITE_SHARE, 0)), List.of());
        out.add(new Candidate("cache_reads", feature,
                "raise the cache-read share of input to " + pct(TARGET_CACHE_SHARE) + "% (a tenth of the moved tokens as writes)",
                "mean input " + meanInput + " tokens per call, cache reads " + pct(share) + "% of input, "
                        + f.repeatingCalls + " of " + f.calls + " calls repeat a prefix or a conversation",
                "cache_reads: [{feature: " + q(feature) + ", share: " + TARGET_CACHE_SHARE.toPlainString()
                        + ", write_share: " + CACHE_WRITE_SHARE.toPlainString() + "}]", s));
    }

    /**
     * Every model of the feature cheaper per call than another model of the same feature, if the two succeed about as
     * often (within {@link #SIMILAR_SUCCESS_POINTS}) where task outcomes say; without outcomes the row says so.
     */
    private static void modelCandidates(String feature, MonthProfile.Feature f, TaskOutcomes outcomes, List<Candidate> out) {
        for (Map.Entry<String, MonthProfile.Model> a : f.models.entrySet()) {
            for (Map.Entry<String, MonthProfile.Model> b : f.models.entrySet()) {
                if (a.getKey().equalsIgnoreCase(b.getKey()) || !cheaperPerCall(b.getValue(), a.getValue())) {
                    continue;
                }
                Optional<BigDecimal> rateA = outcomes.model(feature, a.getKey()).successRate();
                Optional<BigDecimal> rateB = outcomes.model(feature, b.getKey()).successRate();
                String evidence;
                if (rateA.isPresent() && rateB.isPresent()) {
                    BigDecimal points = rateA.get().subtract(rateB.get()).abs().multiply(BigDecimal.valueOf(100));
                    if (points.compareTo(SIMILAR_SUCCESS_POINTS) > 0) {
                        continue;
                    }
                    evidence = "success rate " + pct(rateB.get()) + "% with " + b.getKey() + " vs " + pct(rateA.get())
                            + "% with " + a.getKey() + " (task outcomes)";
                } else if (outcomes.models(feature).isEmpty()) {
                    evidence = "no task outcomes for this feature: success rates not compared";
                } else {
                    evidence = "no task outcomes for " + (rateA.isEmpty() ? a.getKey() : b.getKey())
                            + " on this feature: success rates not compared";
                }
                evidence = b.getKey() + " already serves " + b.getValue().calls + " calls at "
                        + perCall(b.getValue()) + " USD per call vs " + perCall(a.getValue()) + "; " + evidence;
                TokenFactors none = TokenFactors.NONE;
                Scenario.Substitution sub = new Scenario.Substitution(feature, a.getKey(), b.getValue().provider, b.getKey(),
                        none, rateB, 0);
                Scenario s = new Scenario("model " + feature + " " + a.getKey() + " -> " + b.getKey(), Optional.empty(),
                        List.of(), List.of(sub), Optional.empty(), List.of(), List.of());
                out.add(new Candidate("model", feature, "move " + a.getKey() + "'s " + a.getValue().calls + " calls to "
                        + b.getKey() + " (same tokens)", evidence,
                        "substitutions: [{feature: " + q(feature) + ", from: " + q(a.getKey()) + ", to: {provider: "
                                + q(b.getValue().provider) + ", model: " + q(b.getKey()) + "}}]", s));
            }
        }
    }

    /** Retry waste is not a scenario: it is what the month's retries cost (rollups' retry_cost_usd). */
    private static List<Opportunity> retryWaste(Connection connection, YearMonth month, MonthProfile profile)
            throws SQLException {
        List<Opportunity> out = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select feature, sum(retries) as retries, sum(retry_cost_usd) as retry_cost_usd
                from v_rollups_daily where month = ? group by feature having sum(retry_cost_usd) > 0""")) {
            statement.setObject(1, month.atDay(1));
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    String feature = r.getString("feature");
                    MonthProfile.Feature f = profile.features.get(feature);
                    out.add(new Opportunity("retry_waste", feature, Money.of(r.getBigDecimal("retry_cost_usd")),
                            f == null ? Money.ZERO : f.cost, "fix the cause of " + r.getLong("retries") + " retries",
                            "the retries' cost in the month (rollups' retry_cost_usd)", null));
                }
            }
        }
        return out;
    }

    private static boolean cheaperPerCall(MonthProfile.Model candidate, MonthProfile.Model than) {
        // a/b < c/d  <=>  a*d < c*b, exact.
        return candidate.cost.toBigDecimal().multiply(BigDecimal.valueOf(than.calls))
                .compareTo(than.cost.toBigDecimal().multiply(BigDecimal.valueOf(candidate.calls))) < 0;
    }

    private static String perCall(MonthProfile.Model m) {
        return m.cost.toBigDecimal().divide(BigDecimal.valueOf(m.calls), 6, RoundingMode.HALF_UP).toPlainString();
    }

    /** A name as a double-quoted YAML scalar, whatever characters it has. */
    static String q(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String pct(BigDecimal share) {
        return share.multiply(BigDecimal.valueOf(100)).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }
}
