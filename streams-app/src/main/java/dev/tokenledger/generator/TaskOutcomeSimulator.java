package dev.tokenledger.generator;

import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The product's side of the generated traffic: the business outcome of each task the gateway's calls worked on,
 * as {@code llm.task-outcomes.json.v1} would carry it. Watches the events a {@link TrafficGenerator} emits (no hook
 * inside the generator) and decides a task once no call of it has been seen for {@value #QUIET_EVENTS} events; a
 * call of a task after its verdict (a rare long pause) changes nothing here, as a product would not decide twice.
 *
 * <p>Whether a task succeeds depends on its feature and on the model of its first call ({@link OutcomeRates}): on
 * support-copilot claude-haiku-4-5 costs a third of claude-sonnet-4-5 per call but resolves far fewer tickets, so
 * it is the dearer one per resolved ticket. Some tasks are abandoned, some get no outcome at all (they end
 * {@code unknown}; eval-harness reports none), about {@value #DUPLICATE_PERCENT}% of outcomes are sent twice and
 * about {@value #ORPHAN_PERCENT}% come for tasks that made no call.
 *
 * <p>Deterministic: the same events in the same order give the same outcomes. Not thread-safe.
 */
public final class TaskOutcomeSimulator {

    /** Events without a call of a task after which the task is over (its last retry is long done). */
    static final int QUIET_EVENTS = 1_500;
    /** Decided tasks remembered, so a call after a long pause does not get its task a second verdict. */
    private static final int DECIDED_MEMORY = 100_000;
    static final int DUPLICATE_PERCENT = 2;
    static final int ORPHAN_PERCENT = 1;
    private static final long MAX_DECISION_DELAY_MILLIS = 120_000;
    /** What a failed or abandoned task is worth where the product knows values: nothing (scale 12, as Avro has it). */
    private static final BigDecimal NO_VALUE = BigDecimal.ZERO.setScale(12);

    private final SplittableRandom random;
    private final IdSource orphanIds;
    private final Map<String, OpenTask> open = new LinkedHashMap<>();
    private final Map<String, Boolean> decided = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > DECIDED_MEMORY;
        }
    };
    private long observed;

    public TaskOutcomeSimulator(GeneratorOptions options) {
        this.random = new SplittableRandom(IdSource.mix(options.seed() ^ 0x7a5c0ffeeL));
        this.orphanIds = new IdSource(options.seed(), 4);
    }

    /**
     * Takes note of one emitted event (duplicates and retries included) and returns the outcomes that are due now:
     * those of tasks quiet for {@value #QUIET_EVENTS} events, in the order their tasks went quiet.
     */
    public List<TaskOutcome> observe(UsageEvent event) {
        observed++;
        String taskId = event.getTaskId();
        if (taskId != null && !taskId.isBlank() && !decided.containsKey(taskId)) {
            OpenTask task = open.remove(taskId);
            if (task == null) {
                task = new OpenTask(taskId, event.getFeature(), event.getRequestModel(), event.getTimestamp());
            }
            task.lastCallAt = event.getTimestamp().isAfter(task.lastCallAt) ? event.getTimestamp() : task.lastCallAt;
            task.lastSeen = observed;
            open.put(taskId, task); // to the end: the map is in order of last sighting
        }
        List<TaskOutcome> due = new ArrayList<>();
        Iterator<OpenTask> it = open.values().iterator();
        while (it.hasNext()) {
            OpenTask task = it.next();
            if (observed - task.lastSeen < QUIET_EVENTS) {
                break;
            }
            it.remove();
            decide(task, due);
        }
        return due;
    }

    /** The outcomes of every task still open: the traffic has ended. */
    public List<TaskOutcome> finish() {
        List<TaskOutcome> due = new ArrayList<>();
        for (OpenTask task : open.values()) {
            decide(task, due);
        }
        open.clear();
        return due;
    }

    private void decide(OpenTask task, List<TaskOutcome> out) {
        decided.put(task.taskId, Boolean.TRUE);
        OutcomeRates.Rates rates = OutcomeRates.of(task.feature, task.model);
        double draw = random.nextDouble();
        Instant at = task.lastCallAt.plusMillis(1_000 + random.nextLong(MAX_DECISION_DELAY_MILLIS));
        if (rates == null || draw < rates.noOutcome()) {
            return; // the product never says: the task ends unknown
        }
        String verdict = draw < rates.noOutcome() + rates.abandoned() ? "abandoned"
                : random.nextDouble() < rates.success() ? "success" : "failure";
        TaskOutcome outcome = outcome(task.taskId, verdict, at, task.feature, rates);
        out.add(outcome);
        if (random.nextInt(100) < DUPLICATE_PERCENT) {
            // Sent twice (the product publishes at least once): the same outcome, a little later.
            out.add(TaskOutcome.newBuilder(outcome).setTimestamp(at.plusMillis(1 + random.nextLong(30_000))).build());
        }
        if (random.nextInt(100) < ORPHAN_PERCENT) {
            // An outcome for a task that made no call (a task handled without the LLM, or a mistyped id).
            String orphanVerdict = random.nextBoolean() ? "success" : "failure";
            out.add(outcome(orphanIds.next("orph_"), orphanVerdict, at, task.feature, rates));
        }
    }

    private static TaskOutcome outcome(String taskId, String verdict, Instant at, String feature, OutcomeRates.Rates rates) {
        BigDecimal value = rates.valueUsd() == null ? null : "success".equals(verdict) ? rates.valueUsd() : NO_VALUE;
        return TaskOutcome.newBuilder()
                .setTaskId(taskId)
                .setOutcome(verdict)
                .setTimestamp(at)
                .setFeature(feature)
                .setTaskType(rates.taskType())
                .setValueUsd(value)
                .setAttributes(Map.of())
                .build();
    }

    /** A task seen in the traffic and not decided yet. */
    private static final class OpenTask {
        final String taskId;
        final String feature;
        final String model;
        Instant lastCallAt;
        long lastSeen;

        OpenTask(String taskId, String feature, String model, Instant firstCallAt) {
            this.taskId = taskId;
            this.feature = feature;
            this.model = model;
            this.lastCallAt = firstCallAt;
        }
    }
}
