package dev.tokenledger.whatif;

import dev.tokenledger.money.Money;
import dev.tokenledger.price.CostEngine;
import java.util.Map;
import java.util.TreeMap;

/** What the savings heuristics need to know about a month's calls, per feature: one pass over the calls. */
final class MonthProfile {

    static final class Workload {
        long calls;
        long batchCalls;
        Money notBatchCost = Money.ZERO;
    }

    static final class Model {
        String provider;
        long calls;
        Money cost = Money.ZERO;
    }

    static final class Feature {
        long calls;
        long inputTokens;
        long cacheReadTokens;
        /** Calls with cache reads or writes, or in a conversation or agent run: their input repeats. */
        long repeatingCalls;
        Money cost = Money.ZERO;
        final Map<String, Workload> workloads = new TreeMap<>();
        final Map<String, Model> models = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }

    final Map<String, Feature> features = new TreeMap<>();

    void add(MonthCall call) {
        var e = call.event();
        Feature f = features.computeIfAbsent(call.feature(), k -> new Feature());
        f.calls++;
        f.inputTokens += e.getInputTokens();
        f.cacheReadTokens += e.getCacheReadInputTokens();
        if (e.getCacheReadInputTokens() > 0 || e.getCacheCreationInputTokens() > 0 || e.getConversationId() != null
                || e.getAgentRunId() != null) {
            f.repeatingCalls++;
        }
        f.cost = f.cost.plus(call.actualCost());
        if (e.getWorkload() != null) {
            Workload w = f.workloads.computeIfAbsent(e.getWorkload(), k -> new Workload());
            w.calls++;
            if (e.getBatch()) {
                w.batchCalls++;
            } else {
                w.notBatchCost = w.notBatchCost.plus(call.actualCost());
            }
        }
        // Only priced calls say what a model costs.
        if (call.actualCost().signum() > 0) {
            Model m = f.models.computeIfAbsent(CostEngine.billedModel(e), k -> new Model());
            m.provider = e.getProvider();
            m.calls++;
            m.cost = m.cost.plus(call.actualCost());
        }
    }
}
