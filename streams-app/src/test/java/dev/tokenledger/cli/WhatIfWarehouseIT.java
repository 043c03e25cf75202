package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.money.Money;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.price.PricingResult;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.SqlRows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code report whatif} and {@code report savings} as a user runs them, on a real PostgreSQL holding a generated
 * month priced with the shipped book exactly as the pipeline prices it: llm_usage_priced, the daily rollups and the
 * task results the sinks would have written.
 */
class WhatIfWarehouseIT {

    private static final Instant START = Instant.parse("2026-11-03T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static EmbeddedWarehouse warehouse;
    static final List<Priced> CALLS = new ArrayList<>();
    /** October: every token class a multiple of 5 and no call near a long-context threshold (see the margin test). */
    static final List<Priced> WHOLE_TOKENS = new ArrayList<>();

    record Priced(UsageEvent event, String feature, PricingResult cost) {
    }

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void fillAMonth() throws Exception {
        PriceBook book = PriceBooks.loadDefault();
        TrafficGenerator generator = new TrafficGenerator(GeneratorOptions.defaults(7L, START));
        Set<String> seen = new HashSet<>();
        while (CALLS.size() < 1_500) {
            UsageEvent e = generator.next();
            if (seen.add(e.getRequestId())) {
                CALLS.add(new Priced(e, e.getFeature() == null ? "unallocated" : e.getFeature(), CostEngine.price(e, book)));
            }
        }
        TrafficGenerator october = new TrafficGenerator(GeneratorOptions.defaults(11L, Instant.parse("2026-10-05T08:00:00Z")));
        while (WHOLE_TOKENS.size() < 600) {
            UsageEvent e = october.next();
            if (seen.add(e.getRequestId()) && e.getInputTokens() <= 100_000) {
                UsageEvent whole = wholeFives(e);
                WHOLE_TOKENS.add(new Priced(whole, e.getFeature() == null ? "unallocated" : e.getFeature(),
                        CostEngine.price(whole, book)));
            }
        }
        warehouse = EmbeddedWarehouse.start(dataDir.resolve("warehouse"));
        try (Connection c = warehouse.dataSource().getConnection()) {
            insertPriced(c, CALLS);
            insertPriced(c, WHOLE_TOKENS);
            insertDailyRollups(c, CALLS);
            insertDailyRollups(c, WHOLE_TOKENS);
            insertTaskResults(c);
            try (PreparedStatement s = c.prepareStatement(
                    "insert into feature_revenue (feature, month, revenue_usd) values (?, date '2026-10-01', 40)")) {
                for (String feature : WHOLE_TOKENS.stream().map(Priced::feature).distinct().toList()) {
                    s.setString(1, feature);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        warehouse.close();
    }

    /** Every exclusive token class rounded down to a multiple of 5, so that +20% of each is a whole token. */
    private static UsageEvent wholeFives(UsageEvent e) {
        long read = e.getCacheReadInputTokens() / 5 * 5;
        long write1h = e.getCacheCreation1hInputTokens() / 5 * 5;
        long write5m = (e.getCacheCreationInputTokens() - e.getCacheCreation1hInputTokens()) / 5 * 5;
        long uncached = (e.getInputTokens() - e.getCacheReadInputTokens() - e.getCacheCreationInputTokens()) / 5 * 5;
        long reasoning = e.getReasoningOutputTokens() / 5 * 5;
        long output = (e.getOutputTokens() - e.getReasoningOutputTokens()) / 5 * 5;
        return UsageEvent.newBuilder(e).setInputTokens(uncached + read + write5m + write1h).setCacheReadInputTokens(read)
                .setCacheCreationInputTokens(write5m + write1h).setCacheCreation1hInputTokens(write1h)
                .setOutputTokens(output + reasoning).setReasoningOutputTokens(reasoning).build();
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TokenLedger());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Map<String, JsonNode> whatif(Path scenario) throws Exception {
        Run r = run("report", "whatif", "--month", "2026-11", "--scenario", scenario.toString(), "--format", "json",
                "--data-dir", dataDir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, JsonNode> byFeature = new LinkedHashMap<>();
        for (JsonNode row : JSON.readTree(r.out()).get("rows")) {
            byFeature.put(row.get("feature").asText(), row);
        }
        return byFeature;
    }

    private static Path scenario(String name, String yaml) throws Exception {
        Path file = dataDir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void shouldReproduceTheMonthToTheLastDigitOfThePricedEventsAndOfTheRollupsWhenNothingChanges() throws Exception {
        Map<String, JsonNode> rows = whatif(scenario("nothing", "name: nothing\n"));

        DataSource ds = warehouse.dataSource();
        String priced = SqlRows.single(ds, "select sum(cost_total) from llm_usage_priced where event_timestamp"
                + " >= timestamptz '2026-11-01T00:00:00Z' and event_timestamp < timestamptz '2026-12-01T00:00:00Z'");
        String rollups = SqlRows.single(ds, "select sum(cost_total) from v_rollups_daily where month = date '2026-11-01'");
        assertThat(priced).isEqualTo(rollups);
        JsonNode total = rows.get("TOTAL");
        assertThat(total.get("actual_usd").asText()).isEqualTo(priced);
        assertThat(total.get("scenario_usd").asText()).isEqualTo(priced);
        assertThat(total.get("calls").asText()).isEqualTo("1500");
        assertThat(total.get("changed_calls").asText()).isEqualTo("0");
        for (Map<String, String> feature : SqlRows.query(ds, """
                select feature, sum(cost_total) as cost from v_rollups_daily where month = date '2026-11-01'
                group by feature""")) {
            JsonNode row = rows.get(feature.get("feature"));
            assertThat(row.get("scenario_usd").asText()).as(feature.get("feature")).isEqualTo(feature.get("cost"));
            assertThat(row.get("savings_usd").asText()).isEqualTo("0.000000000000");
        }
        // Task outcomes exist for the tasked features: the cost per success is the same before and after.
        JsonNode copilot = rows.get("support-copilot");
        assertThat(copilot.get("cost_per_success_before_usd").asText()).isNotEmpty()
                .isEqualTo(copilot.get("cost_per_success_after_usd").asText());
    }

    @Test
    void shouldPriceTheNonBatchCallsOfABatchEligibleWorkloadAsBatchThroughTheCostEngine() throws Exception {
        Map<String, JsonNode> rows = whatif(scenario("batch", "batch: {workloads: [nightly-eval]}\n"));

        PriceBook book = PriceBooks.loadDefault();
        Money expectedSavings = Money.ZERO;
        long moved = 0;
        for (Priced p : CALLS) {
            if ("nightly-eval".equals(p.event().getWorkload()) && !p.event().getBatch()) {
                UsageEvent asBatch = UsageEvent.newBuilder(p.event()).setBatch(true).setServiceTier("standard").build();
                expectedSavings = expectedSavings.plus(p.cost().total().minus(CostEngine.price(asBatch, book).total()));
                moved++;
            }
        }
        assertThat(moved).isPositive();
        JsonNode evals = rows.get("eval-harness");
        assertThat(evals.get("changed_calls").asText()).isEqualTo(Long.toString(moved));
        assertThat(evals.get("savings_usd").asText()).isEqualTo(expectedSavings.toPlainString());
        assertThat(rows.get("TOTAL").get("savings_usd").asText()).isEqualTo(expectedSavings.toPlainString());
        assertThat(new BigDecimal(rows.get("doc-qa").get("savings_usd").asText())).isZero();
    }

    @Test
    void shouldRankSavingsOpportunitiesEachTheWhatIfOfItsOwnOneLeverScenario() throws Exception {
        Run r = run("report", "savings", "--month", "2026-11", "--format", "json", "--data-dir", dataDir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode rows = JSON.readTree(r.out()).get("rows");
        assertThat(rows.size()).isBetween(1, 10);
        Set<String> levers = new HashSet<>();
        BigDecimal previous = null;
        for (JsonNode row : rows) {
            BigDecimal savings = new BigDecimal(row.get("savings_usd").asText());
            assertThat(savings).isPositive();
            if (previous != null) {
                assertThat(savings).isLessThanOrEqualTo(previous);
            }
            previous = savings;
            levers.add(row.get("lever").asText());
            if (!row.get("scenario").isNull()) {
                // Running the row's scenario with whatif gives the same dollars.
                Map<String, JsonNode> whatif = whatif(scenario("row" + row.get("rank").asText(),
                        row.get("scenario").asText() + "\n"));
                assertThat(whatif.get("TOTAL").get("savings_usd").asText()).as(row.toString())
                        .isEqualTo(row.get("savings_usd").asText());
            } else {
                assertThat(row.get("lever").asText()).isEqualTo("retry_waste");
                String retryCost = SqlRows.single(warehouse.dataSource(),
                        "select sum(retry_cost_usd) from v_rollups_daily where month = date '2026-11-01' and feature = ?", row.get("feature").asText());
                assertThat(row.get("savings_usd").asText()).isEqualTo(retryCost);
            }
        }
        assertThat(levers).contains("batch", "model");
    }

    /**
     * Question 3's sensitivity through the engine ({@code report margin --scenario}, every class +20%) agrees with
     * v_feature_margin's linear {@code round((cost - fees) x 1.2, 12) + fees} to the last digit on a month whose
     * scaled token counts are whole and that crosses no long-context threshold (docs/whatif.md).
     */
    @Test
    void shouldAgreeWithTheMarginViewsSensitivityToTheLastDigitWhenEveryScaledCountIsWhole() throws Exception {
        Run view = run("report", "margin", "--month", "2026-10", "--format", "json", "--data-dir", dataDir.toString());
        Run engine = run("report", "margin", "--month", "2026-10", "--scenario",
                Path.of("..", "examples", "scenario-tokens-plus-20pct.yaml").toString(), "--format", "json",
                "--data-dir", dataDir.toString());
        assertThat(view.exit()).as(view.err()).isZero();
        assertThat(engine.exit()).as(engine.err()).isZero();
        JsonNode viewRows = JSON.readTree(view.out()).get("rows");
        JsonNode engineRows = JSON.readTree(engine.out()).get("rows");
        assertThat(engineRows.size()).isEqualTo(viewRows.size()).isGreaterThan(5);
        for (int i = 0; i < viewRows.size(); i++) {
            JsonNode v = viewRows.get(i);
            JsonNode e = engineRows.get(i);
            assertThat(e.get("feature").asText()).isEqualTo(v.get("feature").asText());
            assertThat(e.get("cost_usd").asText()).isEqualTo(v.get("cost_usd").asText());
            assertThat(e.get("cost_scenario_usd").asText()).as(v.get("feature").asText())
                    .isEqualTo(v.get("cost_tokens_plus_20pct_usd").asText());
            assertThat(e.get("margin_scenario_usd").asText()).isEqualTo(v.get("margin_tokens_plus_20pct_usd").asText());
            assertThat(e.get("margin_scenario_pct").asText()).isEqualTo(v.get("margin_tokens_plus_20pct_pct").asText());
            assertThat(new BigDecimal(e.get("cost_scenario_usd").asText()))
                    .isGreaterThan(new BigDecimal(e.get("cost_usd").asText()));
        }
        assertThat(JSON.readTree(engine.out()).get("report").asText())
                .isEqualTo("feature margin under 'every token class +20%', 2026-10");
    }

    @Test
    void shouldNameTheLinesOfABadScenarioAndExitOne() throws Exception {
        Path bad = scenario("bad", "batch:\n  workload: [nightly-eval]\ntoken_shape: {output: lots}\n");
        Run r = run("report", "whatif", "--month", "2026-11", "--scenario", bad.toString(), "--data-dir", dataDir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("2: batch: unknown key 'workload'").contains("line 3: 'output' must be a plain decimal");
        assertThat(run("report", "whatif", "--month", "2026-11", "--data-dir", dataDir.toString()).exit()).isEqualTo(2);
    }

    private static void insertPriced(Connection c, List<Priced> calls) throws Exception {
        String sql = """
                insert into llm_usage_priced (request_id, event_retry_of, event_attempt, event_timestamp, event_gateway,
                    event_provider, event_request_model, event_response_model, event_region, event_service_tier,
                    event_batch, event_input_tokens, event_cache_read_input_tokens, event_cache_creation_input_tokens,
                    event_cache_creation_1h_input_tokens, event_output_tokens, event_reasoning_output_tokens,
                    event_web_search_calls, event_status, event_latency_ms, event_provider_reported_cost_usd,
                    event_team, event_feature, event_environment, event_customer_id, event_workload, event_api_key_id,
                    event_agent_run_id, event_task_id, event_conversation_id, billed_model, cost_uncached_input,
                    cost_cache_read, cost_cache_write, cost_output, cost_reasoning, cost_fees, cost_total, flags,
                    attribution_team, attribution_feature, attribution_method, priced_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    ?, ?, ?, ?, ?, ?, ?, ?, ?, 'tagged', now())""";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (Priced p : calls) {
                UsageEvent e = p.event();
                PricingResult r = p.cost();
                int i = 1;
                s.setString(i++, e.getRequestId());
                s.setString(i++, e.getRetryOf());
                s.setInt(i++, e.getAttempt());
                s.setTimestamp(i++, Timestamp.from(e.getTimestamp()));
                s.setString(i++, e.getGateway());
                s.setString(i++, e.getProvider());
                s.setString(i++, e.getRequestModel());
                s.setString(i++, e.getResponseModel());
                s.setString(i++, e.getRegion());
                s.setString(i++, e.getServiceTier());
                s.setBoolean(i++, e.getBatch());
                s.setLong(i++, e.getInputTokens());
                s.setLong(i++, e.getCacheReadInputTokens());
                s.setLong(i++, e.getCacheCreationInputTokens());
                s.setLong(i++, e.getCacheCreation1hInputTokens());
                s.setLong(i++, e.getOutputTokens());
                s.setLong(i++, e.getReasoningOutputTokens());
                s.setInt(i++, e.getWebSearchCalls());
                s.setString(i++, e.getStatus());
                s.setObject(i++, e.getLatencyMs());
                s.setBigDecimal(i++, e.getProviderReportedCostUsd());
                s.setString(i++, e.getTeam());
                s.setString(i++, e.getFeature());
                s.setString(i++, e.getEnvironment());
                s.setString(i++, e.getCustomerId());
                s.setString(i++, e.getWorkload());
                s.setString(i++, e.getApiKeyId());
                s.setString(i++, e.getAgentRunId());
                s.setString(i++, e.getTaskId());
                s.setString(i++, e.getConversationId());
                s.setString(i++, r.billedModel());
                s.setBigDecimal(i++, r.uncachedInput().toBigDecimal());
                s.setBigDecimal(i++, r.cacheRead().toBigDecimal());
                s.setBigDecimal(i++, r.cacheWrite().toBigDecimal());
                s.setBigDecimal(i++, r.output().toBigDecimal());
                s.setBigDecimal(i++, r.reasoning().toBigDecimal());
                s.setBigDecimal(i++, r.fees().toBigDecimal());
                s.setBigDecimal(i++, r.total().toBigDecimal());
                s.setArray(i++, c.createArrayOf("text", r.flagNames().toArray()));
                s.setString(i++, e.getTeam() == null ? "none" : e.getTeam());
                s.setString(i++, p.feature());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** The daily rollups the aggregate stage would have sinked: sums per (day, feature, provider, model). */
    private static void insertDailyRollups(Connection c, List<Priced> calls) throws Exception {
        record Key(Instant day, String feature, String provider, String model) {
        }
        Map<Key, Money[]> sums = new LinkedHashMap<>();
        Map<Key, long[]> counts = new LinkedHashMap<>();
        for (Priced p : calls) {
            Key k = new Key(p.event().getTimestamp().truncatedTo(ChronoUnit.DAYS), p.feature(), p.event().getProvider(),
                    p.cost().billedModel());
            Money[] m = sums.computeIfAbsent(k, x -> new Money[] {Money.ZERO, Money.ZERO, Money.ZERO});
            m[0] = m[0].plus(p.cost().total());
            m[1] = m[1].plus(p.cost().fees());
            boolean retry = p.event().getAttempt() > 1 || p.event().getRetryOf() != null;
            if (retry) {
                m[2] = m[2].plus(p.cost().total());
            }
            long[] n = counts.computeIfAbsent(k, x -> new long[2]);
            n[0]++;
            n[1] += retry ? 1 : 0;
        }
        try (PreparedStatement s = c.prepareStatement("""
                insert into llm_rollups (granularity, window_start, window_end, team, feature, customer_id, environment,
                    provider, model, requests, successes, failures, retries, unpriced_requests, input_tokens,
                    uncached_input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens,
                    reasoning_output_tokens, cost_uncached_input, cost_cache_read, cost_cache_write, cost_output,
                    cost_reasoning, cost_fees, cost_total, retry_cost_usd, provider_reported_cost_usd,
                    provider_reported_requests, last_event_at)
                values ('daily', ?, ?, 'team', ?, '-', 'production', ?, ?, ?, ?, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, ?, ?, ?, 0, 0, ?)""")) {
            for (Map.Entry<Key, Money[]> e : sums.entrySet()) {
                Key k = e.getKey();
                long[] n = counts.get(k);
                s.setTimestamp(1, Timestamp.from(k.day()));
                s.setTimestamp(2, Timestamp.from(k.day().plus(1, ChronoUnit.DAYS)));
                s.setString(3, k.feature());
                s.setString(4, k.provider());
                s.setString(5, k.model());
                s.setLong(6, n[0]);
                s.setLong(7, n[0]);
                s.setLong(8, n[1]);
                s.setBigDecimal(9, e.getValue()[1].toBigDecimal());
                s.setBigDecimal(10, e.getValue()[0].toBigDecimal());
                s.setBigDecimal(11, e.getValue()[2].toBigDecimal());
                s.setTimestamp(12, Timestamp.from(k.day()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** One final task per task id, its model the first call's; every third a failure. */
    private static void insertTaskResults(Connection c) throws Exception {
        Map<String, Priced> firstCall = new LinkedHashMap<>();
        for (Priced p : CALLS) {
            if (p.event().getTaskId() != null) {
                firstCall.putIfAbsent(p.event().getTaskId(), p);
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                insert into llm_task_results (task_id, feature, model_mix, primary_model, outcome, calls, failed_calls,
                    retried_calls, cost_usd, wasted_usd, first_event_at, last_event_at, day, finalized_at,
                    duplicate_outcomes, late_calls, late_cost_usd, late_outcomes)
                values (?, ?, ?, ?, ?, 1, 0, 0, 0, 0, ?, ?, date '2026-11-03', now(), 0, 0, 0, 0)""")) {
            int n = 0;
            for (Map.Entry<String, Priced> e : firstCall.entrySet()) {
                String model = e.getValue().cost().billedModel();
                s.setString(1, e.getKey());
                s.setString(2, e.getValue().feature());
                s.setString(3, model);
                s.setString(4, model);
                s.setString(5, n++ % 3 == 2 ? "failure" : "success");
                s.setTimestamp(6, Timestamp.from(e.getValue().event().getTimestamp()));
                s.setTimestamp(7, Timestamp.from(e.getValue().event().getTimestamp()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
