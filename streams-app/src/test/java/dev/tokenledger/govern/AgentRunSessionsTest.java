package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.call;
import static dev.tokenledger.govern.GovernFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.AgentRunState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentRunSessionsTest {

    final AgentRunSessions sessions = new AgentRunSessions(Duration.ofMinutes(30));
    final Instant t0 = Instant.parse("2026-11-02T10:00:00Z");

    @Test
    void shouldAccumulateCallsWithinTheInactivityGap() {
        AgentRunState s = sessions.add(null, "run-1", call("a", t0, "1"));
        s = sessions.add(s, "run-1", call("b", t0.plus(Duration.ofMinutes(30)), "2"));
        s = sessions.add(s, "run-1", call("c", t0.plus(Duration.ofMinutes(55)), "3"));

        assertThat(s.getCalls()).isEqualTo(3);
        assertThat(s.getCost()).isEqualTo(usd("6"));
        assertThat(s.getSessionStart()).isEqualTo(t0);
    }

    @Test
    void shouldStartAFreshSessionAfterALongerGap() {
        AgentRunState s = sessions.add(null, "run-1", call("a", t0, "1"));
        s.setAlerted(true);
        s = sessions.add(s, "run-1", call("b", t0.plus(Duration.ofMinutes(31)), "2"));

        assertThat(s.getCalls()).isEqualTo(1);
        assertThat(s.getCost()).isEqualTo(usd("2"));
        assertThat(s.getAlerted()).isFalse();
    }

    @Test
    void shouldFoldOutOfOrderCallsIntoTheSessionAndDropThoseOfAFinishedOne() {
        AgentRunState s = sessions.add(null, "run-1", call("a", t0, "1"));
        s = sessions.add(s, "run-1", call("early", t0.minus(Duration.ofMinutes(5)), "1"));
        assertThat(s.getSessionStart()).isEqualTo(t0.minus(Duration.ofMinutes(5)));
        assertThat(s.getCalls()).isEqualTo(2);

        assertThat(sessions.add(s, "run-1", call("old", t0.minus(Duration.ofHours(2)), "1"))).isNull();
    }

    @Test
    void shouldExpireSessionsThatCanNoLongerGrow() {
        AgentRunState s = sessions.add(null, "run-1", call("a", t0, "1"));
        assertThat(sessions.expired(s, t0.plus(Duration.ofMinutes(60)).toEpochMilli())).isFalse();
        assertThat(sessions.expired(s, t0.plus(Duration.ofMinutes(61)).toEpochMilli())).isTrue();
    }
}
