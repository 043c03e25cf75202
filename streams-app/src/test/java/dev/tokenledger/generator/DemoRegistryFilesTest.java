package dev.tokenledger.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.UsageEvent;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's ownership registry and budgets must fit the traffic the generator plays. */
class DemoRegistryFilesTest {

    private static final List<Map<String, String>> OWNERSHIP = csv("/demo/ownership.csv",
            "key_type,key,feature,team,cost_center,product_line,owner");
    private static final List<Map<String, String>> BUDGETS = csv("/demo/budgets.csv",
            "scope_type,scope_id,period,amount_usd,soft_pct,hard_pct,action,owner");

    /**
     * Rounded list prices per million tokens (input, cache read, cache write, output), enough to size
     * demo budgets; the pipeline's price book is the authority on real costs.
     */
    private static final Map<String, String[]> LIST_PRICES_PER_MILLION = Map.ofEntries(
            Map.entry("gpt-4o", new String[] {"2.50", "1.25", "2.50", "10.00"}),
            Map.entry("gpt-4o-mini", new String[] {"0.15", "0.075", "0.15", "0.60"}),
            Map.entry("o3", new String[] {"2.00", "0.50", "2.00", "8.00"}),
            Map.entry("gpt-5", new String[] {"1.25", "0.125", "1.25", "10.00"}),
            Map.entry("gpt-5-mini", new String[] {"0.25", "0.025", "0.25", "2.00"}),
            Map.entry("claude-sonnet-4-5", new String[] {"3.00", "0.30", "3.75", "15.00"}),
            Map.entry("claude-haiku-4-5", new String[] {"1.00", "0.10", "1.25", "5.00"}),
            Map.entry("claude-opus-4-1", new String[] {"15.00", "1.50", "18.75", "75.00"}),
            Map.entry("us.anthropic.claude-sonnet-4-5-20250929-v1:0", new String[] {"3.30", "0.33", "4.125", "16.50"}),
            Map.entry("gemini-2.5-flash", new String[] {"0.30", "0.03", "0.30", "2.50"}),
            Map.entry("gemini-2.5-pro", new String[] {"1.25", "0.3125", "1.25", "10.00"}));

    @Test
    void shouldOwnEveryGeneratedFeatureWithItsTeam() {
        for (FeatureProfile profile : Catalog.FEATURES) {
            assertThat(row("feature", profile.feature)).as(profile.feature)
                    .containsEntry("feature", profile.feature).containsEntry("team", profile.team);
            assertThat(row("api_key", profile.apiKeyId)).as(profile.apiKeyId)
                    .containsEntry("feature", profile.feature).containsEntry("team", profile.team);
        }
        assertThat(OWNERSHIP).allMatch(r -> Catalog.TEAMS.contains(r.get("team")))
                .allMatch(r -> !r.get("owner").isBlank() && !r.get("cost_center").isBlank())
                .allMatch(r -> Set.of("feature", "api_key").contains(r.get("key_type")));
        Set<String> features = OWNERSHIP.stream().filter(r -> r.get("key_type").equals("feature"))
                .map(r -> r.get("key")).collect(Collectors.toSet());
        assertThat(OWNERSHIP).allMatch(r -> features.contains(r.get("feature")));
    }

    @Test
    void shouldGiveTheUnallocatedBucketANamedPlatformOwner() {
        assertThat(row("feature", "unallocated")).containsEntry("team", "platform")
                .hasEntrySatisfying("owner", owner -> assertThat(owner).contains("@"));
    }

    @Test
    void shouldRegisterSomeUntaggedKeysAndLeaveTheOthersUnknown() {
        Set<String> keys = OWNERSHIP.stream().map(r -> r.get("key")).collect(Collectors.toSet());
        int registered = 0;
        int unknown = 0;
        for (Catalog.UntaggedSource source : Catalog.UNTAGGED_SOURCES.values()) {
            if (source.registered()) {
                registered++;
                assertThat(row("api_key", source.apiKeyId())).containsEntry("feature", source.shapeOf().feature);
            } else {
                unknown++;
                assertThat(keys).doesNotContain(source.apiKeyId());
            }
        }
        assertThat(registered).isPositive();
        assertThat(unknown).isPositive();
    }

    @Test
    void shouldBudgetOnlyScopesTheTrafficHasWithValidThresholdsAndActions() {
        Set<String> features = Catalog.FEATURES.stream().map(f -> f.feature).collect(Collectors.toSet());
        features.add("unallocated");
        Set<String> actions = new HashSet<>();
        for (Map<String, String> budget : BUDGETS) {
            String id = budget.get("scope_id");
            switch (budget.get("scope_type")) {
                case "team" -> assertThat(Catalog.TEAMS).contains(id);
                case "feature" -> assertThat(features).contains(id);
                case "customer" -> assertThat(Catalog.customers()).contains(id);
                case "global" -> assertThat(id).isEqualTo("global");
                default -> throw new AssertionError("unexpected scope type " + budget);
            }
            assertThat(budget.get("period")).isIn("monthly", "daily");
            BigDecimal amount = new BigDecimal(budget.get("amount_usd"));
            assertThat(amount.signum()).isPositive();
            assertThat(amount.scale()).isLessThanOrEqualTo(12);
            int soft = Integer.parseInt(budget.get("soft_pct"));
            int hard = Integer.parseInt(budget.get("hard_pct"));
            assertThat(soft).isPositive().isLessThan(hard);
            String action = budget.get("action");
            assertThat(action).matches("alert|queue|block|downgrade:gpt-4o-mini");
            actions.add(action);
            assertThat(budget.get("owner")).isNotBlank();
        }
        assertThat(actions).containsExactlyInAnyOrder("alert", "queue", "block", "downgrade:gpt-4o-mini");
        assertThat(BUDGETS).anyMatch(b -> b.get("period").equals("daily"));
        assertThat(BUDGETS).extracting(b -> b.get("scope_type")).contains("team", "feature", "customer", "global");
    }

    @Test
    void shouldSizeBudgetsWithAListPriceForEveryKnownModel() {
        assertThat(LIST_PRICES_PER_MILLION.keySet())
                .containsExactlyInAnyOrderElementsOf(Catalog.KNOWN_MODELS.stream().map(Model::requestModel).toList());
    }

    @ParameterizedTest(name = "after {0} events")
    @ValueSource(ints = {5_000, 10_000})
    void shouldCrossASoftThresholdForOneScopeAndAHardOneForAnotherWithinAShortDemo(int events) {
        Map<String, BigDecimal> spend = spendPerBudgetScope(events);
        Set<String> hard = new HashSet<>();
        Set<String> softOnly = new HashSet<>();
        for (Map<String, String> budget : BUDGETS) {
            String scope = budget.get("scope_type") + ":" + budget.get("scope_id") + ":" + budget.get("period");
            BigDecimal spent = spend.getOrDefault(scope, BigDecimal.ZERO);
            BigDecimal amount = new BigDecimal(budget.get("amount_usd"));
            if (spent.compareTo(percent(amount, budget.get("hard_pct"))) >= 0) {
                hard.add(scope);
            } else if (spent.compareTo(percent(amount, budget.get("soft_pct"))) >= 0) {
                softOnly.add(scope);
            }
        }
        assertThat(hard).isNotEmpty();
        assertThat(softOnly).isNotEmpty();
        assertThat(hard.size() + softOnly.size()).isLessThan(BUDGETS.size());
    }

    /** Month-to-date and day-to-date spend of the generated traffic, attributed as the pipeline does. */
    private static Map<String, BigDecimal> spendPerBudgetScope(int events) {
        TrafficGenerator generator = new TrafficGenerator(GeneratorOptions.defaults(42, Instant.parse("2026-11-03T00:00:00Z")));
        Map<String, BigDecimal> spend = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < events; i++) {
            UsageEvent event = generator.next();
            if (!seen.add(event.getRequestId())) {
                continue;
            }
            BigDecimal cost = listPrice(event);
            Map<String, String> owner = event.getFeature() != null ? row("feature", event.getFeature())
                    : OWNERSHIP.stream().filter(r -> r.get("key").equals(event.getApiKeyId())).findFirst()
                            .orElse(row("feature", "unallocated"));
            String feature = event.getFeature() != null ? event.getFeature() : owner.get("feature");
            for (String scope : List.of("global:global", "team:" + owner.get("team"), "feature:" + feature,
                    "customer:" + event.getCustomerId())) {
                spend.merge(scope + ":monthly", cost, BigDecimal::add);
                spend.merge(scope + ":daily", cost, BigDecimal::add);
            }
            // A short demo stays inside one UTC day, so day-to-date and month-to-date spend are the same.
            assertThat(event.getTimestamp().atZone(ZoneOffset.UTC).toLocalDate()).hasToString("2026-11-03");
        }
        return spend;
    }

    private static BigDecimal listPrice(UsageEvent e) {
        String[] prices = LIST_PRICES_PER_MILLION.get(e.getRequestModel());
        if (prices == null) {
            return BigDecimal.ZERO;
        }
        long uncached = e.getInputTokens() - e.getCacheReadInputTokens() - e.getCacheCreationInputTokens();
        BigDecimal perMillion = new BigDecimal(prices[0]).multiply(BigDecimal.valueOf(uncached))
                .add(new BigDecimal(prices[1]).multiply(BigDecimal.valueOf(e.getCacheReadInputTokens())))
                .add(new BigDecimal(prices[2]).multiply(BigDecimal.valueOf(e.getCacheCreationInputTokens())))
                .add(new BigDecimal(prices[3]).multiply(BigDecimal.valueOf(e.getOutputTokens())));
        BigDecimal cost = perMillion.movePointLeft(6);
        return e.getBatch() || e.getServiceTier().equals("flex") ? cost.multiply(new BigDecimal("0.5")) : cost;
    }

    private static BigDecimal percent(BigDecimal amount, String pct) {
        return amount.multiply(new BigDecimal(pct)).movePointLeft(2);
    }

    private static Map<String, String> row(String keyType, String key) {
        return OWNERSHIP.stream().filter(r -> r.get("key_type").equals(keyType) && r.get("key").equals(key))
                .findFirst().orElseThrow(() -> new AssertionError("no ownership row " + keyType + ":" + key));
    }

    private static List<Map<String, String>> csv(String resource, String expectedHeader) {
        try (InputStream in = DemoRegistryFilesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList();
            assertThat(lines.get(0)).isEqualTo(expectedHeader);
            String[] columns = expectedHeader.split(",");
            return lines.stream().skip(1).map(line -> {
                String[] cells = line.split(",", -1);
                assertThat(cells).as(line).hasSize(columns.length);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < columns.length; i++) {
                    row.put(columns[i], cells[i]);
                }
                return row;
            }).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
