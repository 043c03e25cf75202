package dev.tokenledger.generator;

import java.util.Map;
import java.util.Objects;

/**
 * One AI feature: who owns it, how it is called and what its calls look like. The untagged traffic
 * sources borrow a profile for its shape but drop its tags.
 */
final class FeatureProfile {

    /** Whether calls of a feature belong together, and under which id. */
    enum SessionKind {
        /** Independent calls. */
        NONE,
        /** Turns of a chat share a conversation_id, and the context grows turn by turn. */
        CONVERSATION,
        /** Steps of an agent share an agent_run_id (and a conversation_id), and the context grows step by step. */
        AGENT_RUN
    }

    /** Where task ids come from: none, one per call, or one per session. */
    enum TaskIds { NONE, PER_CALL, PER_SESSION }

    final String feature;
    final String team;
    final double weight;
    final String workload;
    final String apiKeyId;
    final Map<String, String> attributes;
    final WeightedChoice<String> environments;
    final WeightedChoice<Model> models;
    final TokenShape shape;
    final SessionKind sessionKind;
    final int sessionMinCalls;
    final int sessionMaxCalls;
    final TaskIds taskIds;
    final String taskPrefix;
    final boolean customerFacing;
    final double batchProb;
    final double flexProb;
    final double priorityProb;
    final double webSearchProb;

    private FeatureProfile(Builder b) {
        this.feature = Objects.requireNonNull(b.feature);
        this.team = Objects.requireNonNull(b.team);
        this.weight = b.weight;
        this.workload = b.workload;
        this.apiKeyId = "vk-" + b.feature;
        this.attributes = Map.of("prompt_version", b.promptVersion);
        this.environments = b.environments.build();
        this.models = b.models.build();
        this.shape = Objects.requireNonNull(b.shape);
        this.sessionKind = b.sessionKind;
        this.sessionMinCalls = b.sessionMinCalls;
        this.sessionMaxCalls = b.sessionMaxCalls;
        this.taskIds = b.taskIds;
        this.taskPrefix = b.taskPrefix;
        this.customerFacing = b.customerFacing;
        this.batchProb = b.batchProb;
        this.flexProb = b.flexProb;
        this.priorityProb = b.priorityProb;
        this.webSearchProb = b.webSearchProb;
    }

    static Builder feature(String feature, String team, double weight) {
        return new Builder(feature, team, weight);
    }

    @Override
    public String toString() {
        return feature;
    }

    static final class Builder {
        private final String feature;
        private final String team;
        private final double weight;
        private String workload = "online";
        private String promptVersion = "v1";
        private final WeightedChoice.Builder<String> environments = WeightedChoice.builder();
        private final WeightedChoice.Builder<Model> models = WeightedChoice.builder();
        private TokenShape shape;
        private SessionKind sessionKind = SessionKind.NONE;
        private int sessionMinCalls = 1;
        private int sessionMaxCalls = 1;
        private TaskIds taskIds = TaskIds.NONE;
        private String taskPrefix;
        private boolean customerFacing;
        private double batchProb;
        private double flexProb;
        private double priorityProb;
        private double webSearchProb;

        private Builder(String feature, String team, double weight) {
            this.feature = feature;
            this.team = team;
            this.weight = weight;
        }

        Builder workload(String value) {
            workload = value;
            return this;
        }

        Builder promptVersion(String value) {
            promptVersion = value;
            return this;
        }

        Builder environment(String environment, double weight) {
            environments.add(environment, weight);
            return this;
        }

        Builder model(Model model, double weight) {
            models.add(model, weight);
            return this;
        }

        Builder shape(TokenShape.Builder value) {
            shape = value.build();
            return this;
        }

        Builder sessions(SessionKind kind, int minCalls, int maxCalls) {
            sessionKind = kind;
            sessionMinCalls = minCalls;
            sessionMaxCalls = maxCalls;
            return this;
        }

        Builder tasks(TaskIds ids, String prefix) {
            taskIds = ids;
            taskPrefix = prefix;
            return this;
        }

        Builder customerFacing() {
            customerFacing = true;
            return this;
        }

        Builder batch(double probability) {
            batchProb = probability;
            return this;
        }

        Builder flex(double probability) {
            flexProb = probability;
            return this;
        }

        Builder priority(double probability) {
            priorityProb = probability;
            return this;
        }

        Builder webSearch(double probability) {
            webSearchProb = probability;
            return this;
        }

        FeatureProfile build() {
            return new FeatureProfile(this);
        }
    }
}
