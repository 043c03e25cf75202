package dev.tokenledger.task;

import dev.tokenledger.avro.TaskResult;
import dev.tokenledger.avro.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The task ledger, keyed by task_id: folds calls and outcomes into each task's state
 * ({@link TaskLedger}) and, on stream time, finalizes the tasks whose completion window has passed,
 * emitting one {@link TaskResult} each. A final task is kept for the final retention so that a late
 * call or outcome moves its late counters (its record is re-emitted), then dropped.
 *
 * <p>A deadline index ({@value #DEADLINE_STORE}: zero-padded deadline|task_id) makes each check read
 * only the tasks that are due, not the whole state.
 */
public final class TaskProcessor implements Processor<String, TaskInput, String, TaskResult> {

    public static final String STATE_STORE = "task-state-store";
    public static final String DEADLINE_STORE = "task-deadline-store";

    private final TaskLedger ledger;
    private final long retentionMs;
    private final Duration check;
    private final TaskMetrics metrics;
    private ProcessorContext<String, TaskResult> context;
    private KeyValueStore<String, TaskState> tasks;
    private KeyValueStore<String, String> deadlines;

    public TaskProcessor(TaskSettings settings, TaskMetrics metrics) {
        this.ledger = new TaskLedger(settings.completionWindow().toMillis());
        this.retentionMs = settings.finalRetention().toMillis();
        this.check = settings.finalityCheck();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, TaskResult> context) {
        this.context = context;
        this.tasks = context.getStateStore(STATE_STORE);
        this.deadlines = context.getStateStore(DEADLINE_STORE);
        context.schedule(check, PunctuationType.STREAM_TIME, this::finalizeDue);
    }

    @Override
    public void process(Record<String, TaskInput> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        TaskState state = tasks.get(record.key());
        boolean isNew = state == null;
        if (isNew) {
            state = TaskLedger.open(record.key(), record.timestamp());
        }
        long before = indexTime(state);
        TaskLedger.Effect effect = record.value() instanceof TaskInput.Call c
                ? ledger.addCall(state, c.call())
                : ledger.addOutcome(state, ((TaskInput.Outcome) record.value()).outcome());
        metrics.counted(record.value() instanceof TaskInput.Call ? "call" : "outcome", effect);
        tasks.put(record.key(), state);
        long after = indexTime(state);
        if (isNew || after != before) {
            if (!isNew) {
                deadlines.delete(indexKey(before, record.key()));
            }
            deadlines.put(indexKey(after, record.key()), record.key());
        }
        if (effect == TaskLedger.Effect.LATE) {
            // The record of a final task is the truth per key: re-emitted with its late counters moved.
            context.forward(new Record<>(record.key(), TaskLedger.result(state), record.timestamp()));
        }
    }

    /** Open tasks are indexed at their deadline, final ones at the end of their retention. */
    private long indexTime(TaskState s) {
        return TaskLedger.isFinal(s) ? s.getFinalizedAt().toEpochMilli() + retentionMs : ledger.deadline(s);
    }

    private void finalizeDue(long streamTime) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        // Inclusive bounds: every key of a deadline at or before streamTime sorts below the bare next deadline.
        try (KeyValueIterator<String, String> it = deadlines.range(indexKey(0, ""), pad(streamTime + 1))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> entry : due) {
            deadlines.delete(entry.key);
            TaskState state = tasks.get(entry.value);
            if (state == null) {
                continue;
            }
            long indexed = indexTime(state);
            if (indexed > streamTime) {
                deadlines.put(indexKey(indexed, entry.value), entry.value); // moved since; keep it where it is due now
            } else if (TaskLedger.isFinal(state)) {
                tasks.delete(entry.value);
            } else {
                state.setFinalizedAt(Instant.ofEpochMilli(streamTime));
                tasks.put(entry.value, state);
                deadlines.put(indexKey(indexTime(state), entry.value), entry.value);
                TaskResult result = TaskLedger.result(state);
                metrics.finalized(result.getOutcome());
                context.forward(new Record<>(entry.value, result, streamTime));
            }
        }
    }

    static String indexKey(long at, String taskId) {
        return pad(at) + "|" + taskId;
    }

    /** Sixteen hex digits: the string order of the keys is the order of the times (which are not negative). */
    private static String pad(long at) {
        String hex = Long.toHexString(Math.max(0, at));
        return "0".repeat(16 - hex.length()) + hex;
    }
}
