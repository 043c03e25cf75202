package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.budget;
import static dev.tokenledger.govern.GovernFixtures.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.ScopeState;
import java.math.BigDecimal;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.Scale;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ScopeStateSerdeTest {

    final ScopeStateSerde serde = new ScopeStateSerde();
    final SpendLedger ledger = new SpendLedger(GovernSettings.defaultSettings());

    ScopeState roundTrip(ScopeState s) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", s));
    }

    ScopeState busyScope() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        Instant t = Instant.parse("2026-11-10T00:00:00Z");
        for (int i = 0; i < 200; i++) {
            ledger.add(state, call("r" + i, t.plusSeconds(i * 600L), "0.0123456789" + (i % 10), "f" + (i % 12), "m"), true);
        }
        BudgetPosition p = ledger.position(state, Period.MONTHLY, budget("team", "search", "monthly", "10", 80, 100, "block"));
        state.getMonthly().setTold(p.toStatus(state.getMonthly().getLastEventAt().toEpochMilli(), t.toEpochMilli()));
        state.getMonthly().getRaised().add("soft");
        return state;
    }

    @Test
    void shouldReadBackExactlyWhatItWrote() {
        ScopeState state = busyScope();
        ScopeState back = roundTrip(state);
        assertThat(back).isEqualTo(state);
        assertThat(back.getMonthly().getTold().getPercent()).isEqualTo(state.getMonthly().getTold().getPercent());
        assertThat(back.getMonthly().getTold().getOwner()).isEqualTo("owner-of-search@example.com");
    }

    @Test
    void shouldReadBackAScopeWithoutPeriodsOrStatus() {
        ScopeState empty = SpendLedger.emptyState(new Scope("customer", "naïve:ünïcode"));
        assertThat(roundTrip(empty)).isEqualTo(empty);
    }

    @Property(tries = 300)
    void shouldKeepAnyAmountExact(@ForAll @BigRange(min = "0", max = "99999999999999999999999999") @Scale(12) BigDecimal amount) {
        ScopeState state = SpendLedger.emptyState(new Scope("global", "*"));
        ledger.add(state, call("r", Instant.parse("2026-11-10T00:00:00Z"), amount.setScale(12).toPlainString()), true);
        ScopeState back = roundTrip(state);
        assertThat(back.getMonthly().getSpend()).isEqualTo(amount.setScale(12));
        assertThat(back).isEqualTo(state);
    }

    @Test
    void shouldReadBackTheDailyHistoryAndStillReadVersionOneWithoutIt() {
        ScopeState state = busyScope();
        assertThat(state.getDailyHistory()).hasSize(2); // 200 calls 10 minutes apart from 2026-11-10: two days
        assertThat(roundTrip(state)).isEqualTo(state);

        state.setDailyHistory(new java.util.ArrayList<>());
        byte[] v2 = serde.serializer().serialize("t", state);
        assertThat(v2[v2.length - 1]).isZero(); // the history's length, last
        byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 1);
        v1[0] = 1;
        assertThat(serde.deserializer().deserialize("t", v1)).isEqualTo(state);
    }

    @Test
    void shouldRefuseAnEncodingItDoesNotKnow() {
        byte[] bytes = serde.serializer().serialize("t", busyScope());
        bytes[0] = 9;
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 9");
    }
}
