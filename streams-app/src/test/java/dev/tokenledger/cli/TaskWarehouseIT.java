package dev.tokenledger.cli;

import static dev.tokenledger.cli.QuickstartIT.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.demo.OutcomeFeed;
import dev.tokenledger.generator.GeneratedRecord;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TaskOutcomeSimulator;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.task.TaskOutcomeJson;
import dev.tokenledger.validate.UsageEventJson;
import dev.tokenledger.validate.UsageValidator;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.SqlRows;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From files to the warehouse, as a user runs it: generated usage events and the product's task outcomes as JSON
 * Lines, {@code demo --events --outcomes --until-idle} (a real broker, the Streams application, a real Connect
 * worker with the shipped sinks, a real PostgreSQL), then the warehouse and {@code report tasks} checked against
 * what the files imply: each feature's tasks by verdict, every call's cost in its task or in the untasked line to
 * the last digit, and the report's rows.
 */
class TaskWarehouseIT {

    private static final int EVENTS = 8_000;

    @TempDir
    Path dir;

    /** What the input files say one task is: the feature of its earliest call and its earliest outcome. */
    private static final class Expected {
        String feature;
        Instant firstCall;
        Instant outcomeAt;
        String outcome;
        boolean hasCalls;
    }

    @Test
    void shouldLandEveryTaskWithTheVerdictTheFilesImplyAndTieTaskAndUntaskedCostToPricedCost() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Path outcomes = dir.resolve("outcomes.jsonl");
        Map<String, Expected> tasks = generate(events, outcomes);
        Map<String, Map<String, Long>> expected = countsByFeature(tasks);
        assertThat(expected.get("support-copilot").get("success")).isGreaterThan(20);
        assertThat(expected.values().stream().mapToLong(m -> m.getOrDefault("orphan_outcome", 0L)).sum()).isPositive();

        Path data = dir.resolve("data");
        Path summaryFile = dir.resolve("summary.json");
        QuickstartIT.Run demo = run("demo", "--events", events.toString(), "--outcomes", outcomes.toString(),
                "--until-idle", "--data-dir", data.toString(), "--summary-json", summaryFile.toString());
        assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("task results caught up").contains("cost_per_successful_task_usd").contains("(untasked)");
        BigDecimal pricedTotal = new BigDecimal(new ObjectMapper().readTree(Files.readString(summaryFile))
                .get("total_cost_usd").asText());

        try (EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(data.resolve("warehouse"))) {
            DataSource db = warehouse.dataSource();
            Map<String, Map<String, Long>> landed = new TreeMap<>();
            for (Map<String, String> row : SqlRows.query(db,
                    "select coalesce(feature, '-') as feature, outcome, count(*) as n from llm_task_results group by 1, 2")) {
                landed.computeIfAbsent(row.get("feature"), f -> new TreeMap<>()).put(row.get("outcome"), Long.parseLong(row.get("n")));
            }
            assertThat(landed).isEqualTo(expected);
            assertThat(SqlRows.single(db, "select count(*) from llm_task_results where task_id like ?", OutcomeFeed.END_OF_INPUT + "%"))
                    .as("the end-of-input outcome is never final").isEqualTo("0");
            assertThat(SqlRows.single(db, "select coalesce(sum(late_calls), 0) from llm_task_results")).isEqualTo("0");

            // Every priced call's cost is in its task or in the untasked line of its feature, to the last digit.
            BigDecimal taskCost = decimal(db, "select sum(cost_usd + late_cost_usd) from llm_task_results");
            BigDecimal untasked = decimal(db, "select sum(cost_usd) from llm_task_untasked");
            BigDecimal priced = decimal(db, "select sum(cost_total) from llm_usage_priced");
            assertThat(taskCost.add(untasked)).isEqualByComparingTo(priced).isEqualByComparingTo(pricedTotal);
            assertThat(taskCost).isPositive();
            assertThat(untasked).isPositive();
            assertThat(SqlRows.query(db, """
                    select feature, sum(cost_usd + late_cost_usd)::text as cost from llm_task_results
                    where outcome <> 'orphan_outcome' group by feature order by feature"""))
                    .isEqualTo(SqlRows.query(db, """
                            select attribution_feature as feature, sum(cost_total)::text as cost from llm_usage_priced
                            where event_task_id is not null group by 1 order by 1"""));
            assertThat(SqlRows.query(db, "select day::text, feature, cost_usd::text as cost from v_task_untasked_daily order by 1, 2"))
                    .isEqualTo(SqlRows.query(db, """
                            select (event_timestamp at time zone 'UTC')::date::text as day, attribution_feature as feature,
                                   sum(cost_total)::text as cost
                            from llm_usage_priced where event_task_id is null group by 1, 2 order by 1, 2"""));
            assertThat(SqlRows.single(db, "select count(*) from v_task_cost_tieout where difference_usd <> 0")).isEqualTo("0");
        }

        QuickstartIT.Run report = run("report", "tasks", "--by", "feature", "--format", "json", "--data-dir", data.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(report.out());
        Map<String, JsonNode> rows = new HashMap<>();
        json.get("rows").forEach(r -> rows.put(r.get("feature").asText(), r));
        for (Map.Entry<String, Map<String, Long>> feature : expected.entrySet()) {
            JsonNode row = rows.get(feature.getKey());
            assertThat(row).as(feature.getKey()).isNotNull();
            assertThat(row.get("successful_tasks").asLong()).as(feature.getKey())
                    .isEqualTo(feature.getValue().getOrDefault("success", 0L));
            assertThat(row.get("unknown_tasks").asLong()).as(feature.getKey())
                    .isEqualTo(feature.getValue().getOrDefault("unknown", 0L));
        }
        assertThat(new BigDecimal(rows.get("(total)").get("cost_usd").asText())).isEqualByComparingTo(pricedTotal);
        assertThat(new BigDecimal(rows.get("(all tasks)").get("cost_usd").asText())
                .add(new BigDecimal(rows.get("(untasked)").get("cost_usd").asText()))).isEqualByComparingTo(pricedTotal);
        List<String> notes = new ArrayList<>();
        json.get("notes").forEach(n -> notes.add(n.asText()));
        assertThat(notes.get(notes.size() - 1)).endsWith("ties out");
        // The point of the report: the dearer model per call is the cheaper one per resolved ticket.
        assertThat(notes).anySatisfy(n -> assertThat(n)
                .startsWith("support-copilot: claude-sonnet-4-5-20250929 is cheaper per successful task than claude-haiku-4-5-20251001")
                .contains("although it is dearer per call"));
    }

    /** Writes a dense stretch of generated traffic three days ago and its outcomes; returns what they imply per task. */
    private static Map<String, Expected> generate(Path events, Path outcomes) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS);
        GeneratorOptions options = GeneratorOptions.defaults(42L, start);
        TrafficGenerator generator = new TrafficGenerator(options);
        TaskOutcomeSimulator product = new TaskOutcomeSimulator(options);
        List<String> eventLines = new ArrayList<>();
        List<TaskOutcome> decided = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            GeneratedRecord record = generator.nextRecord();
            if (record instanceof GeneratedRecord.Event e) {
                eventLines.add(UsageEventJson.toJson(e.event()));
                decided.addAll(product.observe(e.event()));
            } else {
                eventLines.add(new String(((GeneratedRecord.Malformed) record).payload(), StandardCharsets.UTF_8)
                        .replace('\n', ' ').replace('\r', ' '));
            }
        }
        decided.addAll(product.finish());
        Files.write(events, eventLines, StandardCharsets.UTF_8);
        Files.write(outcomes, decided.stream().map(TaskOutcomeJson::toJson).toList(), StandardCharsets.UTF_8);

        // Read back from the files, as the pipeline will: a line that does not parse or validate is dead-lettered.
        UsageValidator validator = UsageValidator.withDefaults();
        Map<String, Expected> tasks = new HashMap<>();
        for (String line : eventLines) {
            UsageEvent e = UsageEventJson.parse(line).event();
            if (e == null || e.getTaskId() == null || e.getTaskId().isBlank() || !validator.validate(e, Instant.now()).isEmpty()) {
                continue;
            }
            Expected t = tasks.computeIfAbsent(e.getTaskId(), id -> new Expected());
            t.hasCalls = true;
            if (t.firstCall == null || e.getTimestamp().isBefore(t.firstCall)) {
                t.firstCall = e.getTimestamp();
                t.feature = e.getFeature();
            }
        }
        for (String line : Files.readAllLines(outcomes, StandardCharsets.UTF_8)) {
            TaskOutcome o = TaskOutcomeJson.parse(line.getBytes(StandardCharsets.UTF_8)).outcome();
            Expected t = tasks.computeIfAbsent(o.getTaskId(), id -> new Expected());
            if (!t.hasCalls && t.feature == null) {
                t.feature = o.getFeature();
            }
            if (t.outcomeAt == null || o.getTimestamp().isBefore(t.outcomeAt)) { // the earliest outcome wins
                t.outcomeAt = o.getTimestamp();
                t.outcome = o.getOutcome();
            }
        }
        return tasks;
    }

    private static Map<String, Map<String, Long>> countsByFeature(Map<String, Expected> tasks) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Expected t : tasks.values()) {
            String verdict = !t.hasCalls ? "orphan_outcome" : t.outcome == null ? "unknown" : t.outcome;
            counts.computeIfAbsent(t.feature == null ? "-" : t.feature, f -> new TreeMap<>()).merge(verdict, 1L, Long::sum);
        }
        return counts;
    }

    private static BigDecimal decimal(DataSource db, String sql) {
        String value = SqlRows.single(db, sql);
        return value == null ? BigDecimal.ZERO : new BigDecimal(value);
    }
}
