package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.budget;
import static dev.tokenledger.govern.GovernFixtures.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.ScopeState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetViewTest {

    final BudgetView view = new BudgetView(GovernSettings.defaultSettings());
    final SpendLedger ledger = new SpendLedger(GovernSettings.defaultSettings());
    final Scope search = new Scope("team", "search");
    final Budget monthly = budget("team", "search", "monthly", "10", 80, 100, "block");

    @Test
    void shouldShowEveryAmountAsAnExactDecimalString() {
        ScopeState state = SpendLedger.emptyState(search);
        Instant t = Instant.parse("2026-11-10T12:00:00Z");
        ledger.add(state, call("a", t, "8.000000000001", "doc-qa", "gpt-4o"), true);

        JsonNode json = view.scope(search, state, p -> p == Period.MONTHLY ? monthly : null, t.toEpochMilli());

        assertThat(json.get("scope_type").asText()).isEqualTo("team");
        JsonNode month = json.get("periods").get(0);
        assertThat(month.get("spend").isTextual()).isTrue();
        assertThat(month.get("spend").asText()).isEqualTo("8.000000000001");
        assertThat(month.get("budget").asText()).isEqualTo("10.000000000000");
        assertThat(month.get("percent").asText()).isEqualTo("80.00");
        assertThat(month.get("state").asText()).isEqualTo("soft");
        assertThat(month.get("action").asText()).isEqualTo("alert");
        assertThat(month.get("period_start").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(month.get("top_contributors").get(0).get("name").asText()).isEqualTo("doc-qa");

        JsonNode day = json.get("periods").get(1);
        assertThat(day.get("period").asText()).isEqualTo("daily");
        assertThat(day.get("state").asText()).isEqualTo("unbudgeted");
        assertThat(day.get("budget").isNull()).isTrue();
        assertThat(day.get("spend").asText()).isEqualTo("8.000000000001");
    }

    @Test
    void shouldShowANewPeriodAtZeroOnceTheOldOneHasEnded() {
        ScopeState state = SpendLedger.emptyState(search);
        ledger.add(state, call("a", Instant.parse("2026-11-30T12:00:00Z"), "50"), true);

        JsonNode month = view.scope(search, state, p -> p == Period.MONTHLY ? monthly : null,
                Instant.parse("2026-12-01T08:00:00Z").toEpochMilli()).get("periods").get(0);

        assertThat(month.get("period_start").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(month.get("spend").asText()).isEqualTo("0.000000000000");
        assertThat(month.get("state").asText()).isEqualTo("ok");
        assertThat(month.get("events").asLong()).isZero();
    }

    @Test
    void shouldShowABudgetWithNoSpendYet() {
        JsonNode json = view.scope(search, null, p -> p == Period.MONTHLY ? monthly : null,
                Instant.parse("2026-11-10T12:00:00Z").toEpochMilli());
        assertThat(json.get("periods")).hasSize(1);
        assertThat(json.get("periods").get(0).get("state").asText()).isEqualTo("ok");
        assertThat(json.get("periods").get(0).get("spend").asText()).isEqualTo("0.000000000000");
    }
}
