package dev.tokenledger.govern;

import dev.tokenledger.avro.AgentRunState;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.money.Money;
import java.time.Duration;

/**
 * The calls that share an {@code agent_run_id}, grouped into inactivity-bounded sessions on event
 * time: a gap longer than the inactivity limit starts a new session (with fresh ceilings). Calls
 * that arrive out of order join the session they fall in; one from before the current session
 * began (by more than the gap) belonged to an earlier, finished session and is not counted.
 */
public final class AgentRunSessions {

    private final long gapMs;

    public AgentRunSessions(Duration inactivity) {
        this.gapMs = inactivity.toMillis();
    }

    /**
     * The session after {@code call}; {@code current} may be mutated and returned.
     *
     * @return null when the call belongs to an earlier, finished session
     */
    public AgentRunState add(AgentRunState current, String runId, GovernSpend call) {
        long t = call.getEventTime().toEpochMilli();
        AgentRunState s = current;
        if (s == null || t - s.getLastEventAt().toEpochMilli() > gapMs) {
            s = AgentRunState.newBuilder()
                    .setAgentRunId(runId)
                    .setFeature(call.getFeature())
                    .setTeam(call.getTeam())
                    .setOwner(call.getOwner())
                    .setSessionStart(call.getEventTime())
                    .setLastEventAt(call.getEventTime())
                    .setCost(Money.ZERO.toBigDecimal())
                    .setCalls(0)
                    .setAlerted(false)
                    .build();
        } else if (s.getSessionStart().toEpochMilli() - t > gapMs) {
            return null;
        }
        s.setCost(Money.of(s.getCost()).plus(Money.of(call.getCost())).toBigDecimal());
        s.setCalls(s.getCalls() + 1);
        if (t > s.getLastEventAt().toEpochMilli()) {
            s.setLastEventAt(call.getEventTime());
        }
        if (t < s.getSessionStart().toEpochMilli()) {
            s.setSessionStart(call.getEventTime());
        }
        return s;
    }

    /** A session whose last call is this far behind stream time can no longer grow: its state can go. */
    public boolean expired(AgentRunState s, long streamTime) {
        return streamTime - s.getLastEventAt().toEpochMilli() > 2 * gapMs;
    }
}
