package dev.tokenledger.govern;

import dev.tokenledger.avro.AgentRunState;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.GovernSpend;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-agent-run ceilings against runaway loops: the calls sharing an {@code agent_run_id}, in an
 * inactivity-bounded session, costing more than the feature's ceiling or making more calls than
 * allowed raise one {@code agent_run_ceiling} alert per session, at the call that crossed.
 * Sessions that can no longer grow are dropped on stream time.
 */
public final class AgentRunProcessor implements Processor<String, GovernSpend, String, BudgetAlert> {

    public static final String STORE = "govern-agent-run-store";

    private final GovernSettings settings;
    private final AgentRunSessions sessions;
    private final GovernMetrics metrics;
    private ProcessorContext<String, BudgetAlert> context;
    private KeyValueStore<String, AgentRunState> runs;

    public AgentRunProcessor(GovernSettings settings, GovernMetrics metrics) {
        this.settings = settings;
        this.sessions = new AgentRunSessions(settings.agentRunInactivity());
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, BudgetAlert> context) {
        this.context = context;
        this.runs = context.getStateStore(STORE);
        context.schedule(settings.agentRunInactivity(), PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(Record<String, GovernSpend> record) {
        Scope scope = Scope.parse(record.key());
        if (scope == null || !scope.isAgentRun() || record.value() == null) {
            return;
        }
        GovernSpend call = record.value();
        AgentRunState run = sessions.add(runs.get(scope.key()), scope.id(), call);
        if (run == null) {
            metrics.lateForFinishedSession();
            return;
        }
        CeilingLimits limits = settings.ceilings(run.getFeature());
        if (!run.getAlerted() && limits.agentRunExceeded(run.getCost(), run.getCalls())) {
            long t = call.getEventTime().toEpochMilli();
            BudgetAlert alert = Alerts.agentRunCeiling(run, limits, call.getRequestId(), t, context.currentSystemTimeMs());
            context.forward(new Record<>(scope.key(), alert, t));
            run.setAlerted(true);
            metrics.alertRaised(AlertKind.AGENT_RUN_CEILING);
        }
        runs.put(scope.key(), run);
    }

    private void expire(long streamTime) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, AgentRunState> it = runs.all()) {
            it.forEachRemaining(kv -> {
                if (sessions.expired(kv.value, streamTime)) {
                    expired.add(kv.key);
                }
            });
        }
        expired.forEach(runs::delete);
    }
}
