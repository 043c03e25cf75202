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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The rules of one task, on its {@link TaskState}; no Kafka here. Every rule is in event time, so a
 * task's record is a function of its calls and outcomes and their event times, whatever order they
 * arrive in.
 *
 * <p>A task_id's calls and outcomes fall into <em>stretches</em>: chains of activity whose gaps are at
 * most the completion window. The earliest stretch is the task: its calls make {@code calls},
 * {@code cost_usd} and the waste, its earliest outcome the verdict ({@code unknown} without one,
 * {@code orphan_outcome} without calls); every later stretch is late input, counted in the late
 * counters only. An input that bridges two stretches joins them, so an input arriving later can turn
 * late input into the task's again. The sum of {@code cost_usd + late_cost_usd} over tasks is the cost
 * of every call with a task_id.
 *
 * <p>Repeated outcomes: the earliest by event time wins (ties by outcome, task_type, value_usd,
 * feature: an order of the values, not of arrival); every other one of the stretch is absorbed and
 * counted.
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

    /** Which outcome of two wins: the earliest; on a tie an order of their values, so arrival never decides. */
    private static final Comparator<TaskState> WINNING_OUTCOME = Comparator
            .comparing(TaskState::getOutcomeAt)
            .thenComparing(TaskState::getOutcome)
            .thenComparing(TaskState::getTaskType, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(TaskState::getValueUsd, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(TaskState::getFeature, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** What a call or outcome did to its task, as of its arrival. */
    public enum Effect { COUNTED, DUPLICATE_OUTCOME, LATE }

    private final long windowMs;

    public TaskLedger(long windowMs) {
        this.windowMs = windowMs;
    }

    /** A task with no input yet. */
    public static TaskState open(String taskId) {
        return TaskState.newBuilder().setTaskId(taskId).setLastActivityAt(Instant.EPOCH)
                .setCost(ZERO).setFailedCost(ZERO).setRetryCost(ZERO).setLateCost(ZERO)
                .setModelCosts(new HashMap<>()).build();
    }

    public Effect addCall(TaskState s, TaskCall c) {
        TaskState stretch = open(s.getTaskId());
        BigDecimal cost = Money.of(c.getCost()).toBigDecimal();
        stretch.setCalls(1);
        stretch.setCost(cost);
        if (!c.getSucceeded()) {
            stretch.setFailedCalls(1);
            stretch.setFailedCost(cost);
        }
        if (c.getRetry()) {
            stretch.setRetriedCalls(1);
            stretch.setRetryCost(cost);
        }
        stretch.setModelCosts(new HashMap<>(Map.of(c.getModel(), cost)));
        stretch.setFeature(c.getFeature());
        stretch.setFirstEventAt(c.getEventTime());
        stretch.setLastEventAt(c.getEventTime());
        stretch.setLastActivityAt(c.getEventTime());
        return fold(s, stretch) ? Effect.COUNTED : Effect.LATE;
    }

    public Effect addOutcome(TaskState s, TaskOutcome o) {
        TaskState stretch = open(s.getTaskId());
        stretch.setOutcome(o.getOutcome());
        stretch.setOutcomeAt(o.getTimestamp());
        stretch.setTaskType(o.getTaskType());
        stretch.setValueUsd(o.getValueUsd() == null ? null : Money.of(o.getValueUsd()).toBigDecimal());
        stretch.setFeature(o.getFeature());
        stretch.setLastActivityAt(o.getTimestamp());
        if (!fold(s, stretch)) {
            return Effect.LATE;
        }
        return s.getDuplicateOutcomes() > 0 ? Effect.DUPLICATE_OUTCOME : Effect.COUNTED;
    }

    /**
     * Folds one input (a stretch of its own) into the task: it joins every stretch it is within the window
     * of, and the earliest stretch becomes the task. True when the input is in the task, not late.
     */
    private boolean fold(TaskState task, TaskState input) {
        Instant at = input.getLastActivityAt();
        List<TaskState> stretches = new ArrayList<>();
        TaskState joined = input;
        List<TaskState> held = new ArrayList<>(task.getLater());
        if (!isEmpty(task)) {
            held.add(0, stretchOf(task));
        }
        for (TaskState s : held) {
            if (within(s, at)) {
                joined = merge(joined, s);
            } else {
                stretches.add(s);
            }
        }
        stretches.add(joined);
        stretches.sort(Comparator.comparing(TaskLedger::firstActivity)); // disjoint: more than a window apart
        TaskState first = stretches.get(0);
        task.setFeature(first.getFeature());
        task.setFirstEventAt(first.getFirstEventAt());
        task.setLastEventAt(first.getLastEventAt());
        task.setLastActivityAt(first.getLastActivityAt());
        task.setCalls(first.getCalls());
        task.setFailedCalls(first.getFailedCalls());
        task.setRetriedCalls(first.getRetriedCalls());
        task.setCost(first.getCost());
        task.setFailedCost(first.getFailedCost());
        task.setRetryCost(first.getRetryCost());
        task.setModelCosts(first.getModelCosts());
        task.setOutcome(first.getOutcome());
        task.setOutcomeAt(first.getOutcomeAt());
        task.setTaskType(first.getTaskType());
        task.setValueUsd(first.getValueUsd());
        task.setDuplicateOutcomes(first.getDuplicateOutcomes());
        List<TaskState> later = new ArrayList<>(stretches.subList(1, stretches.size()));
        long lateCalls = 0;
        long lateOutcomes = 0;
        Money lateCost = Money.ZERO;
        for (TaskState s : later) {
            lateCalls += s.getCalls();
            lateCost = lateCost.plus(Money.of(s.getCost()));
            lateOutcomes += s.getOutcome() == null ? 0 : 1 + s.getDuplicateOutcomes();
        }
        task.setLater(later);
        task.setLateCalls(lateCalls);
        task.setLateCost(lateCost.toBigDecimal());
        task.setLateOutcomes(lateOutcomes);
        return first == joined;
    }

    /** An input at {@code at} belongs to the stretch when it is at most the window before or after its activity. */
    private boolean within(TaskState stretch, Instant at) {
        long t = at.toEpochMilli();
        return t >= firstActivity(stretch).toEpochMilli() - windowMs && t <= stretch.getLastActivityAt().toEpochMilli() + windowMs;
    }

    /** Two stretches as one: sums add up, the earliest call names the feature, the winning outcome is kept. */
    private static TaskState merge(TaskState a, TaskState b) {
        TaskState m = open(a.getTaskId());
        m.setCalls(a.getCalls() + b.getCalls());
        m.setFailedCalls(a.getFailedCalls() + b.getFailedCalls());
        m.setRetriedCalls(a.getRetriedCalls() + b.getRetriedCalls());
        m.setCost(sum(a.getCost(), b.getCost()));
        m.setFailedCost(sum(a.getFailedCost(), b.getFailedCost()));
        m.setRetryCost(sum(a.getRetryCost(), b.getRetryCost()));
        Map<String, BigDecimal> models = new HashMap<>(a.getModelCosts());
        b.getModelCosts().forEach((model, cost) -> models.merge(model, cost, TaskLedger::sum));
        m.setModelCosts(models);
        m.setLastActivityAt(max(a.getLastActivityAt(), b.getLastActivityAt()));
        m.setLastEventAt(max(a.getLastEventAt(), b.getLastEventAt()));
        TaskState earliestCall = earliestCall(a, b);
        m.setFirstEventAt(earliestCall == null ? null : earliestCall.getFirstEventAt());
        TaskState winner = a.getOutcome() == null ? b : b.getOutcome() == null ? a
                : WINNING_OUTCOME.compare(a, b) <= 0 ? a : b;
        m.setOutcome(winner.getOutcome());
        m.setOutcomeAt(winner.getOutcomeAt());
        m.setTaskType(winner.getTaskType());
        m.setValueUsd(winner.getValueUsd());
        m.setDuplicateOutcomes(a.getDuplicateOutcomes() + b.getDuplicateOutcomes()
                + (a.getOutcome() != null && b.getOutcome() != null ? 1 : 0));
        // The earliest call names the feature; without calls, the winning outcome (a stretch without calls holds its outcome's).
        m.setFeature(earliestCall != null ? earliestCall.getFeature() : winner.getFeature());
        return m;
    }

    /** The stretch with the earliest call (ties by feature), or null when neither has a call. */
    private static TaskState earliestCall(TaskState a, TaskState b) {
        if (a.getFirstEventAt() == null || b.getFirstEventAt() == null) {
            return a.getFirstEventAt() != null ? a : b.getFirstEventAt() != null ? b : null;
        }
        int byTime = a.getFirstEventAt().compareTo(b.getFirstEventAt());
        if (byTime != 0) {
            return byTime < 0 ? a : b;
        }
        return Objects.compare(a.getFeature(), b.getFeature(), Comparator.nullsFirst(Comparator.<String>naturalOrder())) <= 0 ? a : b;
    }

    /** The task's earliest stretch on its own (the top-level fields), to be merged or kept among the later ones. */
    private static TaskState stretchOf(TaskState task) {
        TaskState s = TaskState.newBuilder(task).setFinalizedAt(null).setLastInputAt(null).setLater(List.of())
                .setLateCalls(0).setLateCost(ZERO).setLateOutcomes(0).build();
        s.setModelCosts(new HashMap<>(task.getModelCosts()));
        return s;
    }

    private static boolean isEmpty(TaskState s) {
        return s.getCalls() == 0 && s.getOutcome() == null;
    }

    /** The earliest event time of the stretch: its first call or its outcome (the winning one is the earliest). */
    private static Instant firstActivity(TaskState s) {
        Instant first = s.getFirstEventAt();
        Instant outcome = s.getOutcomeAt();
        return first == null ? outcome : outcome == null || first.isBefore(outcome) ? first : outcome;
    }

    /** Stream time at or after which an open task is final: the window after the latest activity of the task. */
    public long deadline(TaskState s) {
        return s.getLastActivityAt().toEpochMilli() + windowMs;
    }

    public static boolean isFinal(TaskState s) {
        return s.getFinalizedAt() != null;
    }

    /**
     * The task's record: its verdict, cost and waste, late counters included. {@code finalized_at} is the end of
     * the window in event time (the deadline), not the stream time it was reached at, so it does not depend on
     * arrival either.
     */
    public TaskResult result(TaskState s) {
        String verdict = s.getCalls() == 0 ? ORPHAN_OUTCOME : s.getOutcome() == null ? UNKNOWN : s.getOutcome();
        BigDecimal wasted = switch (verdict) {
            case FAILURE, ABANDONED -> s.getCost();
            case SUCCESS -> s.getFailedCost();
            default -> ZERO;
        };
        Instant first = s.getFirstEventAt() != null ? s.getFirstEventAt() : s.getOutcomeAt();
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
                .setLastEventAt(max(s.getLastEventAt(), s.getOutcomeAt()))
                .setDay(LocalDate.ofInstant(first, ZoneOffset.UTC))
                .setOutcomeAt(s.getOutcomeAt())
                .setFinalizedAt(Instant.ofEpochMilli(deadline(s)))
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

    private static BigDecimal sum(BigDecimal a, BigDecimal b) {
        return Money.of(a).plus(Money.of(b)).toBigDecimal();
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
