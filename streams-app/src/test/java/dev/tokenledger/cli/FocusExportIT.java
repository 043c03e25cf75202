package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.SqlRows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code export focus} against a real PostgreSQL: the CSV it writes is checked against the FOCUS 1.2 column rules
 * (encoded below from the specification's column definitions and its conformance rules), and its BilledCost sums to
 * the month's daily rollups to the last digit.
 */
class FocusExportIT {

    enum Type { DECIMAL, DATETIME, STRING, JSON }

    /** A FOCUS 1.2 column: its data type, whether it may be null on a Usage row, and its allowed values (none: any). */
    record Rule(String column, Type type, boolean nullable, Set<String> allowed) {
        Rule(String column, Type type, boolean nullable) {
            this(column, type, nullable, Set.of());
        }
    }

    static final Set<String> SERVICE_CATEGORIES = Set.of("AI and Machine Learning", "Analytics", "Business Applications",
            "Compute", "Databases", "Developer Tools", "Multicloud", "Identity", "Integration", "Internet of Things",
            "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security", "Storage", "Web",
            "Other");
    static final Set<String> AI_SUBCATEGORIES = Set.of("AI Platforms", "Bots", "Generative AI", "Machine Learning",
            "Natural Language Processing", "Other (AI and Machine Learning)");

    /** The columns the export writes, as FOCUS 1.2 defines them (nullable: on a Usage row that is not a correction). */
    static final List<Rule> RULES = List.of(
            new Rule("BilledCost", Type.DECIMAL, false),
            new Rule("BillingAccountId", Type.STRING, false),
            new Rule("BillingAccountName", Type.STRING, false),
            new Rule("BillingAccountType", Type.STRING, false),
            new Rule("BillingCurrency", Type.STRING, false, Set.of("USD")),
            new Rule("BillingPeriodEnd", Type.DATETIME, false),
            new Rule("BillingPeriodStart", Type.DATETIME, false),
            new Rule("ChargeCategory", Type.STRING, false, Set.of("Usage", "Purchase", "Tax", "Credit", "Adjustment")),
            new Rule("ChargeClass", Type.STRING, true, Set.of("Correction")),
            new Rule("ChargeDescription", Type.STRING, false),
            new Rule("ChargeFrequency", Type.STRING, false, Set.of("One-Time", "Recurring", "Usage-Based")),
            new Rule("ChargePeriodEnd", Type.DATETIME, false),
            new Rule("ChargePeriodStart", Type.DATETIME, false),
            new Rule("ConsumedQuantity", Type.DECIMAL, false),
            new Rule("ConsumedUnit", Type.STRING, false),
            new Rule("ContractedCost", Type.DECIMAL, false),
            new Rule("EffectiveCost", Type.DECIMAL, false),
            new Rule("InvoiceIssuerName", Type.STRING, false),
            new Rule("ListCost", Type.DECIMAL, false),
            new Rule("ListUnitPrice", Type.DECIMAL, false),
            new Rule("PricingQuantity", Type.DECIMAL, false),
            new Rule("PricingUnit", Type.STRING, false),
            new Rule("ProviderName", Type.STRING, false),
            new Rule("PublisherName", Type.STRING, false),
            new Rule("RegionId", Type.STRING, true),
            new Rule("ServiceCategory", Type.STRING, false, SERVICE_CATEGORIES),
            new Rule("ServiceName", Type.STRING, false),
            new Rule("ServiceSubcategory", Type.STRING, false, AI_SUBCATEGORIES),
            new Rule("SkuId", Type.STRING, true),
            new Rule("SkuMeter", Type.STRING, true),
            new Rule("Tags", Type.JSON, true));

    /** FOCUS numeric format: an integer or a decimal, a minus sign only, no exponent, no separators. */
    static final Pattern NUMERIC = Pattern.compile("-?\\d+(\\.\\d+)?");
    /** FOCUS date/time format: ISO 8601 in UTC, to the second. */
    static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    /** FOCUS unit format: plural units, optionally after a positive integer unit quantity. */
    static final Pattern UNIT = Pattern.compile("([1-9]\\d* )?[A-Z][A-Za-z]*s");

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TokenLedger());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldWriteAFocusCsvThatFollowsTheColumnRulesAndSumsToTheMonthsRollups(@TempDir Path dataDir) throws Exception {
        Path csv = dataDir.resolve("focus-2026-11.csv");
        try (EmbeddedWarehouse running = EmbeddedWarehouse.start(dataDir.resolve("warehouse"))) {
            DataSource db = running.dataSource();
            load(db);

            Run r = run("export", "focus", "--month", "2026-11", "--out", csv.toString(), "--data-dir", dataDir.toString());

            assertThat(r.exit()).as(r.err()).isZero();
            String monthTotal = SqlRows.single(db, """
                    select sum(cost_total) from llm_rollups
                    where granularity = 'daily' and window_start >= '2026-11-01T00:00:00Z' and window_start < '2026-12-01T00:00:00Z'""");
            // 1.265175 (doc-qa on Claude) + 0.10416625 (unallocated on gpt-5) + 0.000001 (a mixed-price line) + 0 (unpriced)
            assertThat(monthTotal).isEqualTo("1.369342250000");
            assertThat(r.out()).contains("wrote 10 FOCUS rows for 2026-11").contains("BilledCost 1.369342250000 USD");

            Run toStdout = run("export", "focus", "--month", "2026-11", "--data-dir", dataDir.toString());
            assertThat(toStdout.exit()).as(toStdout.err()).isZero();
            assertThat(toStdout.out()).isEqualTo(Files.readString(csv));

            List<String> header = Arrays.asList(Files.readAllLines(csv).get(0).split(","));
            List<Map<String, String>> rows = read(csv);
            assertThat(rows).hasSize(10);
            checkColumnRules(header, rows);

            BigDecimal billed = BigDecimal.ZERO;
            for (Map<String, String> row : rows) {
                billed = billed.add(new BigDecimal(row.get("BilledCost")));
            }
            assertThat(billed.toPlainString()).isEqualTo(monthTotal);
            assertThat(rows.stream().mapToLong(row -> Long.parseLong(row.get("x_Requests"))).sum())
                    .as("every call once; the rollup without tokens or cost writes no line").isEqualTo(4 + 7 + 1 + 1);

            Map<String, String> cacheRead = only(rows, "claude-sonnet-4-5-20250929", "cache_read");
            assertThat(cacheRead).containsEntry("BilledCost", "0.300000000000")
                    .containsEntry("ConsumedQuantity", "1000000").containsEntry("ConsumedUnit", "Tokens")
                    .containsEntry("PricingQuantity", "1.000000").containsEntry("PricingUnit", "1000000 Tokens")
                    .containsEntry("ListUnitPrice", "0.3")
                    .containsEntry("ChargePeriodStart", "2026-11-03T00:00:00Z").containsEntry("ChargePeriodEnd", "2026-11-04T00:00:00Z")
                    .containsEntry("BillingPeriodStart", "2026-11-01T00:00:00Z").containsEntry("BillingPeriodEnd", "2026-12-01T00:00:00Z")
                    .containsEntry("ProviderName", "Anthropic").containsEntry("PublisherName", "Anthropic")
                    .containsEntry("ServiceName", "Claude API").containsEntry("RegionId", "us-east-1")
                    .containsEntry("SkuMeter", "claude-sonnet-4-5-20250929 / cache read")
                    .containsEntry("x_Team", "search").containsEntry("x_CostCenter", "CC-1100")
                    .containsEntry("x_ProductLine", "discovery").containsEntry("x_Requests", "0");
            assertThat(new ObjectMapper().readTree(cacheRead.get("Tags"))).isEqualTo(new ObjectMapper().readTree(
                    "{\"team\":\"search\",\"feature\":\"doc-qa\",\"customer\":\"c1\",\"environment\":\"production\"}"));
            assertThat(only(rows, "claude-sonnet-4-5-20250929", "uncached_input"))
                    .containsEntry("BilledCost", "0.600000000000").containsEntry("ListUnitPrice", "3")
                    .containsEntry("x_Requests", "4");
            assertThat(only(rows, "claude-sonnet-4-5-20250929", "output"))
                    .containsEntry("BilledCost", "0.185175000000").containsEntry("ConsumedQuantity", "12345")
                    .containsEntry("ListUnitPrice", "15");
            assertThat(only(rows, "claude-sonnet-4-5-20250929", "fees"))
                    .containsEntry("BilledCost", "0.030000000000").containsEntry("ConsumedQuantity", "3")
                    .containsEntry("ConsumedUnit", "Requests").containsEntry("PricingUnit", "Requests")
                    .containsEntry("ListUnitPrice", "0.01").containsEntry("ChargeCategory", "Usage");

            Map<String, String> reasoning = only(rows, "gpt-5", "reasoning");
            assertThat(reasoning).containsEntry("BilledCost", "0.040000000000").containsEntry("ConsumedQuantity", "4000")
                    .containsEntry("ProviderName", "OpenAI").containsEntry("PublisherName", "OpenAI")
                    .containsEntry("RegionId", "").containsEntry("x_CostCenter", "CC-9000")
                    .containsEntry("x_CustomerId", "-").containsEntry("x_Environment", "-");
            assertThat(new ObjectMapper().readTree(reasoning.get("Tags")))
                    .isEqualTo(new ObjectMapper().readTree("{\"team\":\"platform\",\"feature\":\"unallocated\"}"));
            assertThat(only(rows, "gpt-5", "output")).containsEntry("ConsumedQuantity", "6000")
                    .containsEntry("BilledCost", "0.060000000000");
            assertThat(only(rows, "gpt-5", "uncached_input")).containsEntry("ListUnitPrice", "1.25")
                    .containsEntry("x_Requests", "7");
            // Two prices in one day's line: the average, to 12 places.
            assertThat(only(rows, "gpt-4o-mini", "uncached_input")).containsEntry("ListUnitPrice", "0.333333333333")
                    .containsEntry("PricingQuantity", "0.000003");
            assertThat(only(rows, "mystery-model", "uncached_input")).containsEntry("BilledCost", "0.000000000000")
                    .containsEntry("ListUnitPrice", "0").containsEntry("ConsumedQuantity", "500");
        }
    }

    @Test
    void shouldSayWhatIsWrongWithoutAWarehouseOrAMonth(@TempDir Path dataDir) {
        Run usage = run("export");
        assertThat(usage.exit()).isZero();
        assertThat(usage.out()).contains("focus").contains("FOCUS 1.2 CSV");

        Run noWarehouse = run("export", "focus", "--month", "2026-11", "--data-dir", dataDir.toString());
        assertThat(noWarehouse.exit()).isEqualTo(1);
        assertThat(noWarehouse.err()).contains("no warehouse in").contains("run ./tokenledger demo first");

        assertThat(run("export", "focus", "--data-dir", dataDir.toString()).exit()).isEqualTo(2);
        Run badMonth = run("export", "focus", "--month", "2026-13", "--data-dir", dataDir.toString());
        assertThat(badMonth.exit()).isEqualTo(2);
        assertThat(badMonth.err()).contains("--month must be YYYY-MM");
    }

    /** Every rule of {@link #RULES} on every row, and the rules between columns the export's rows are subject to. */
    static void checkColumnRules(List<String> header, List<Map<String, String>> rows) {
        for (Rule rule : RULES) {
            assertThat(header).as("FOCUS column %s", rule.column()).contains(rule.column());
        }
        Set<String> focus = RULES.stream().map(Rule::column).collect(java.util.stream.Collectors.toSet());
        for (String column : header) {
            assertThat(focus.contains(column) || column.startsWith("x_"))
                    .as("%s is a FOCUS column or a custom column prefixed x_", column).isTrue();
        }
        assertThat(header).doesNotHaveDuplicates();
        for (Map<String, String> row : rows) {
            for (Rule rule : RULES) {
                String value = row.get(rule.column());
                if (value.isEmpty()) {
                    assertThat(rule.nullable()).as("%s is null in %s", rule.column(), row).isTrue();
                    continue;
                }
                switch (rule.type()) {
                    case DECIMAL -> {
                        assertThat(value).as(rule.column()).matches(NUMERIC);
                        new BigDecimal(value);
                    }
                    case DATETIME -> {
                        assertThat(value).as(rule.column()).matches(DATETIME);
                        Instant.parse(value);
                    }
                    case JSON -> {
                        JsonNode json = readJson(value);
                        assertThat(json.isObject()).as("%s is a JSON object: %s", rule.column(), value).isTrue();
                        json.elements().forEachRemaining(v -> assertThat(v.isValueNode()).as("tag values are scalars").isTrue());
                    }
                    case STRING -> assertThat(value).as(rule.column()).isNotBlank();
                }
                if (!rule.allowed().isEmpty()) {
                    assertThat(rule.allowed()).as("allowed values of %s", rule.column()).contains(value);
                }
            }
            assertThat(row.get("ConsumedUnit")).matches(UNIT);
            assertThat(row.get("PricingUnit")).matches(UNIT);
            assertThat(new BigDecimal(row.get("ListUnitPrice"))).isNotNegative();
            // One price book, no discounts: every cost column is the derived cost.
            assertThat(row.get("EffectiveCost")).isEqualTo(row.get("BilledCost"));
            assertThat(row.get("ListCost")).isEqualTo(row.get("BilledCost"));
            assertThat(row.get("ContractedCost")).isEqualTo(row.get("BilledCost"));
            // ListCost = ListUnitPrice x PricingQuantity, up to the 12th place of an average unit price.
            BigDecimal product = new BigDecimal(row.get("ListUnitPrice")).multiply(new BigDecimal(row.get("PricingQuantity")));
            assertThat(product.subtract(new BigDecimal(row.get("ListCost"))).abs())
                    .isLessThanOrEqualTo(new BigDecimal(row.get("PricingQuantity")).movePointLeft(12));
            assertThat(row.get("InvoiceIssuerName")).isEqualTo(row.get("ProviderName"));
            Instant periodStart = Instant.parse(row.get("BillingPeriodStart"));
            Instant periodEnd = Instant.parse(row.get("BillingPeriodEnd"));
            Instant chargeStart = Instant.parse(row.get("ChargePeriodStart"));
            Instant chargeEnd = Instant.parse(row.get("ChargePeriodEnd"));
            assertThat(chargeStart).isAfterOrEqualTo(periodStart).isBefore(chargeEnd);
            assertThat(chargeEnd).isBeforeOrEqualTo(periodEnd);
            assertThat(Long.parseLong(row.get("x_Requests"))).isNotNegative();
        }
    }

    private static JsonNode readJson(String value) {
        try {
            return new ObjectMapper().readTree(value);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + value, e);
        }
    }

    private static Map<String, String> only(List<Map<String, String>> rows, String model, String tokenClass) {
        List<Map<String, String>> matching = rows.stream()
                .filter(row -> row.get("x_Model").equals(model) && row.get("x_TokenClass").equals(tokenClass)).toList();
        assertThat(matching).as(model + " " + tokenClass).hasSize(1);
        return matching.get(0);
    }

    private static List<Map<String, String>> read(Path csv) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile())) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    /**
     * Rollups of November 2026 (and around it) as the sink writes them, the priced calls behind the Claude line (its
     * web-search calls, region and cost center) and the registry's entry for the unallocated bucket.
     */
    private static void load(DataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            // doc-qa on Claude: $3/M input, $0.30/M cache read, $3.75/M cache write, $15/M output, 3 searches at $0.01.
            rollup(c, "daily", "2026-11-03T00:00:00Z", "search", "doc-qa", "c1", "production", "anthropic",
                    "claude-sonnet-4-5-20250929", 4, new long[] {1_240_000, 200_000, 1_000_000, 40_000, 12_345, 0},
                    "0.600000000000", "0.300000000000", "0.150000000000", "0.185175000000", "0", "0.030000000000");
            // The same calls' hourly window: must not count twice.
            rollup(c, "hourly", "2026-11-03T10:00:00Z", "search", "doc-qa", "c1", "production", "anthropic",
                    "claude-sonnet-4-5-20250929", 4, new long[] {1_240_000, 200_000, 1_000_000, 40_000, 12_345, 0},
                    "0.600000000000", "0.300000000000", "0.150000000000", "0.185175000000", "0", "0.030000000000");
            // Untagged gpt-5 with reasoning ($1.25/M input, reasoning at the $10/M output price); no priced rows kept.
            rollup(c, "daily", "2026-11-30T00:00:00Z", "platform", "unallocated", "-", "-", "openai", "gpt-5", 7,
                    new long[] {3_333, 3_333, 0, 0, 10_000, 4_000},
                    "0.004166250000", "0", "0", "0.060000000000", "0.040000000000", "0");
            // Three tokens at two prices in one day.
            rollup(c, "daily", "2026-11-15T00:00:00Z", "support", "support-copilot", "c2", "production", "openai",
                    "gpt-4o-mini", 1, new long[] {3, 3, 0, 0, 0, 0}, "0.000001000000", "0", "0", "0", "0", "0");
            // A model the book does not know: tokens, no cost.
            rollup(c, "daily", "2026-11-15T00:00:00Z", "support", "support-copilot", "c2", "production", "openai",
                    "mystery-model", 1, new long[] {500, 500, 0, 0, 0, 0}, "0", "0", "0", "0", "0", "0");
            // Calls that failed before any token: no line.
            rollup(c, "daily", "2026-11-16T00:00:00Z", "support", "support-copilot", "c2", "production", "openai",
                    "gpt-4o-mini", 2, new long[] {0, 0, 0, 0, 0, 0}, "0", "0", "0", "0", "0", "0");
            // Other months.
            rollup(c, "daily", "2026-10-31T00:00:00Z", "search", "doc-qa", "c1", "production", "openai", "gpt-4o", 9,
                    new long[] {1_000, 1_000, 0, 0, 0, 0}, "0.002500000000", "0", "0", "0", "0", "0");
            rollup(c, "daily", "2026-12-01T00:00:00Z", "search", "doc-qa", "c1", "production", "openai", "gpt-4o", 9,
                    new long[] {1_000, 1_000, 0, 0, 0, 0}, "0.002500000000", "0", "0", "0", "0", "0");
            priced(c, "r1", "2026-11-03T10:15:00Z", 1);
            priced(c, "r2", "2026-11-03T10:45:00Z", 2);
            try (var s = c.createStatement()) {
                s.execute("insert into llm_ownership values ('feature', 'unallocated', 'unallocated', 'platform', 'CC-9000',"
                        + " 'shared', 'mei.chen@example.com')");
            }
        }
    }

    /** tokens: input, uncached input, cache read, cache write, output, reasoning; costs by class, the total their sum. */
    private static void rollup(Connection c, String granularity, String start, String team, String feature,
                               String customer, String environment, String provider, String model, long requests,
                               long[] tokens, String... costs) throws SQLException {
        String sql = """
                insert into llm_rollups (granularity, window_start, window_end, team, feature, customer_id, environment,
                    provider, model, requests, successes, failures, retries, unpriced_requests, input_tokens,
                    uncached_input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens,
                    reasoning_output_tokens, cost_uncached_input, cost_cache_read, cost_cache_write, cost_output,
                    cost_reasoning, cost_fees, cost_total, retry_cost_usd, provider_reported_cost_usd,
                    provider_reported_requests, last_event_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)""";
        Instant windowStart = Instant.parse(start);
        Instant end = windowStart.plus(granularity.equals("daily") ? 24 : 1, ChronoUnit.HOURS);
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, granularity);
            s.setTimestamp(i++, Timestamp.from(windowStart));
            s.setTimestamp(i++, Timestamp.from(end));
            for (String text : new String[] {team, feature, customer, environment, provider, model}) {
                s.setString(i++, text);
            }
            s.setLong(i++, requests);
            s.setLong(i++, requests);
            for (long t : tokens) {
                s.setLong(i++, t);
            }
            BigDecimal total = BigDecimal.ZERO;
            for (String cost : costs) {
                s.setBigDecimal(i++, new BigDecimal(cost));
                total = total.add(new BigDecimal(cost));
            }
            s.setBigDecimal(i++, total);
            s.setTimestamp(i, Timestamp.from(end.minusSeconds(1)));
            s.executeUpdate();
        }
    }

    /** A priced doc-qa call on Claude in us-east-1, cost center CC-1100, with this many web-search calls. */
    private static void priced(Connection c, String requestId, String time, int webSearches) throws SQLException {
        String sql = """
                insert into llm_usage_priced (request_id, event_attempt, event_timestamp, event_provider,
                    event_request_model, event_region, event_service_tier, event_batch, event_input_tokens,
                    event_cache_read_input_tokens, event_cache_creation_input_tokens,
                    event_cache_creation_1h_input_tokens, event_output_tokens, event_reasoning_output_tokens,
                    event_web_search_calls, event_status, event_customer_id, event_environment, billed_model,
                    cost_uncached_input, cost_cache_read, cost_cache_write, cost_output, cost_reasoning, cost_fees,
                    cost_total, flags, attribution_team, attribution_feature, attribution_cost_center,
                    attribution_product_line, attribution_method, priced_at)
                values (?, 1, ?, 'anthropic', 'claude-sonnet-4-5', 'us-east-1', 'standard', false, 0, 0, 0, 0, 0, 0,
                    ?, 'success', 'c1', 'production', 'claude-sonnet-4-5-20250929', 0, 0, 0, 0, 0, 0, 0, '{}',
                    'search', 'doc-qa', 'CC-1100', 'discovery', 'feature', ?)""";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            Timestamp at = Timestamp.from(Instant.parse(time));
            s.setString(1, requestId);
            s.setTimestamp(2, at);
            s.setInt(3, webSearches);
            s.setTimestamp(4, at);
            s.executeUpdate();
        }
    }
}
