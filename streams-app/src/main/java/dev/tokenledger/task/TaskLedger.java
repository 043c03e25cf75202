package dev.tokenledger.task;

import dev.tokenledger.avro.TaskCall;
import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.avro.TaskResult;
import dev.tokenledger.avro.TaskState;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules of one task, on its {@link TaskState}; no Kafka here. A task collects every call that
 * carries its task_id (failed calls and retries included, on any model) and one outcome. It is final
 * once stream time reaches its latest activity (call or outcome, in event time) plus the completion
 * window. Then it is {@code unknown} if no outcome came, {@code orphan_outcome} if no call came.
 *
 * <p>Repeated outcomes: the earliest by event time wins (the first to arrive on a tie), so the verdict
 * does not depend on the order they arrive in; every other one is absorbed and counted. A call or
 * outcome for a final task changes nothing but the task's late counters (its record is re-emitted),
 * so the sum of {@code cost_usd + late_cost_usd} over tasks is the cost of every call with a task_id.
 */
public final class TaskLedger {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String ABANDONED = "abandoned";
    public static final String UNKNOWN = "unknown";
    public static final String ORPHAN_OUTCOME = "orphan_outcome";
    /** model_mix and primary_model of a task without calls. */
    public static final String NONE = "-";

    private static final BigDecimal ZERO = Money.ZERO.toBigDecimal();

    /** What a call or outcome did to its task. */
    public enum Effect { COUNTED, DUPLICATE_OUTCOME, LATE }

    private final long windowMs;

    public TaskLedger(long windowMs) {
        this.windowMs = windowMs;
    }

    public static TaskState open(String taskId, long at) {
        return TaskState.newBuilder().setTaskId(taskId).setLastActivityAt(Instant.ofEpochMilli(at))
                .setCost(ZERO).setFailedCost(ZERO).setRetryCost(ZERO).setLateCost(ZERO)
                .setModelCosts(new HashMap<>()).build();
    }

    public Effect addCall(TaskState s, TaskCall c) {
        Money cost = Money.of(c.getCost());
        if (s.getFinalizedAt() != null) {
            s.setLateCalls(s.getLateCalls() + 1);
            s.setLateCost(Money.of(s.getLateCost()).plus(cost).toBigDecimal());
            return Effect.LATE;
        }
        s.setCalls(s.getCalls() + 1);
        s.setCost(Money.of(s.getCost()).plus(cost).toBigDecimal());
        if (!c.getSucceeded()) {
            s.setFailedCalls(s.getFailedCalls() + 1);
            s.setFailedCost(Money.of(s.getFailedCost()).plus(cost).toBigDecimal());
        }
        if (c.getRetry()) {
            s.setRetriedCalls(s.getRetriedCalls() + 1);
            s.setRetryCost(Money.of(s.getRetryCost()).plus(cost).toBigDecimal());
        }
        Map<String, BigDecimal> models = new HashMap<>(s.getModelCosts());
        models.merge(c.getModel(), cost.toBigDecimal(), BigDecimal::add);
        s.setModelCosts(models);
        Instant t = c.getEventTime();
        if (s.getFirstEventAt() == null || t.isBefore(s.getFirstEventAt())) {
            s.setFirstEventAt(t);
            s.setFeature(c.getFeature()); // the earliest call names the task's feature
        }
        if (s.getLastEventAt() == null || t.isAfter(s.getLastEventAt())) {
            s.setLastEventAt(t);
        }
        touch(s, t);
        return Effect.COUNTED;
    }

    public Effect addOutcome(TaskState s, TaskOutcome o) {
        if (s.getFinalizedAt() != null) {
            s.setLateOutcomes(s.getLateOutcomes() + 1);
            return Effect.LATE;
        }
        if (s.getOutcome() != null) {
            s.setDuplicateOutcomes(s.getDuplicateOutcomes() + 1);
            if (!o.getTimestamp().isBefore(s.getOutcomeAt())) {
                return Effect.DUPLICATE_OUTCOME;
            }
            // An earlier outcome arrived later: it wins, the one held is the absorbed duplicate.
        }
        s.setOutcome(o.getOutcome());
        s.setOutcomeAt(o.getTimestamp());
        s.setTaskType(o.getTaskType());
        s.setValueUsd(o.getValueUsd() == null ? null : Money.of(o.getValueUsd()).toBigDecimal());
        if (s.getCalls() == 0) {
            s.setFeature(o.getFeature());
        }
        touch(s, o.getTimestamp());
        return s.getDuplicateOutcomes() > 0 ? Effect.DUPLICATE_OUTCOME : Effect.COUNTED;
    }

    /** Stream time at or after which an open task is final. */
    public long deadline(TaskState s) {
        return s.getLastActivityAt().toEpochMilli() + windowMs;
    }

    public static boolean isFinal(TaskState s) {
        return s.getFinalizedAt() != null;
    }

    /** The task's record: its verdict, cost and waste, as of now (late counters included). */
    public static TaskResult result(TaskState s) {
        String verdict = s.getCalls() == 0 ? ORPHAN_OUTCOME : s.getOutcome() == null ? UNKNOWN : s.getOutcome();
        BigDecimal wasted = switch (verdict) {
            case FAILURE, ABANDONED -> s.getCost();
            case SUCCESS -> s.getFailedCost();
            default -> ZERO;
        };
        Instant first = s.getFirstEventAt() != null ? s.getFirstEventAt() : s.getOutcomeAt();
        Instant last = s.getLastEventAt();
        if (last == null || (s.getOutcomeAt() != null && s.getOutcomeAt().isAfter(last))) {
            last = s.getOutcomeAt();
        }
        TreeMap<String, BigDecimal> models = new TreeMap<>(s.getModelCosts());
        return TaskResult.newBuilder()
                .setTaskId(s.getTaskId())
                .setFeature(s.getFeature())
                .setModelMix(models.isEmpty() ? NONE : String.join("+", models.keySet()))
                .setPrimaryModel(primaryModel(models))
                .setOutcome(verdict)
                .setTaskType(s.getTaskType())
                .setCalls(s.getCalls())
                .setFailedCalls(s.getFailedCalls())
                .setRetriedCalls(s.getRetriedCalls())
                .setCostUsd(s.getCost())
                .setWastedUsd(wasted)
                .setValueUsd(s.getValueUsd())
                .setFirstEventAt(first)
                .setLastEventAt(last)
                .setDay(LocalDate.ofInstant(first, ZoneOffset.UTC))
                .setOutcomeAt(s.getOutcomeAt())
                .setFinalizedAt(s.getFinalizedAt())
                .setDuplicateOutcomes(s.getDuplicateOutcomes())
                .setLateCalls(s.getLateCalls())
                .setLateCostUsd(s.getLateCost())
                .setLateOutcomes(s.getLateOutcomes())
                .build();
    }

    /** The model that cost most; on a tie the first by name (the map is sorted), so the choice is stable. */
    private static String primaryModel(TreeMap<String, BigDecimal> models) {
        String best = NONE;
        BigDecimal most = null;
        for (Map.Entry<String, BigDecimal> m : models.entrySet()) {
            if (most == null || m.getValue().compareTo(most) > 0) {
                best = m.getKey();
                most = m.getValue();
            }
        }
        return best;
    }

    private static void touch(TaskState s, Instant t) {
        if (t.isAfter(s.getLastActivityAt())) {
            s.setLastActivityAt(t);
        }
    }
}
