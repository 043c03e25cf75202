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
 * ({@link TaskLedger}, whose rules are all in event time) and, on stream time, finalizes the tasks
 * whose completion window has passed, emitting one {@link TaskResult} each. Stream time only decides
 * when a record is first written, never what it says: any input for a final task re-emits its record
 * (same key), so the latest record per task is the same for any arrival order. A final task is kept
 * until the final retention has passed since it became final and since its latest input arrived, in
 * stream time, then dropped.
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
    /**
     * Every index entry due before this time has been read and removed, except those put since, which lower it:
     * where the next check starts. Read from the index's start, a check seeks across the tombstones of every
     * deadline already passed, which in RocksDB grows with the tasks seen and made a month's backfill quadratic.
     * In memory only: after a restart the first check starts from 0 again.
     */
    private long unscannedFrom;

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
        this.unscannedFrom = 0;
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
            state = TaskLedger.open(record.key());
        }
        long before = indexTime(state);
        TaskLedger.Effect effect = record.value() instanceof TaskInput.Call c
                ? ledger.addCall(state, c.call())
                : ledger.addOutcome(state, ((TaskInput.Outcome) record.value()).outcome());
        metrics.counted(record.value() instanceof TaskInput.Call ? "call" : "outcome", effect);
        state.setLastInputAt(Instant.ofEpochMilli(Math.max(context.currentStreamTimeMs(), record.timestamp())));
        tasks.put(record.key(), state);
        long after = indexTime(state);
        if (isNew || after != before) {
            if (!isNew) {
                deadlines.delete(indexKey(before, record.key()));
            }
            index(after, record.key());
        }
        if (TaskLedger.isFinal(state)) {
            // Every input changes a final task's record (a sum, a verdict or a counter): the latest per key is the truth.
            context.forward(new Record<>(record.key(), ledger.result(state), record.timestamp()));
        }
    }

    /**
     * Open tasks are indexed at their deadline, final ones at the end of their retention: counted from the later of
     * finality and the latest input, so a backfill read for longer than the retention keeps the tasks it still feeds.
     */
    private long indexTime(TaskState s) {
        if (!TaskLedger.isFinal(s)) {
            return ledger.deadline(s);
        }
        long input = s.getLastInputAt() == null ? 0 : s.getLastInputAt().toEpochMilli();
        return Math.max(s.getFinalizedAt().toEpochMilli(), input) + retentionMs;
    }

    private void finalizeDue(long streamTime) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        long from = unscannedFrom;
        unscannedFrom = streamTime + 1;
        // Inclusive bounds: every key of a deadline at or before streamTime sorts below the bare next deadline.
        try (KeyValueIterator<String, String> it = deadlines.range(indexKey(from, ""), pad(streamTime + 1))) {
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
                index(indexed, entry.value); // moved since; keep it where it is due now
            } else if (TaskLedger.isFinal(state)) {
                tasks.delete(entry.value);
            } else {
                state.setFinalizedAt(Instant.ofEpochMilli(streamTime));
                tasks.put(entry.value, state);
                index(indexTime(state), entry.value);
                TaskResult result = ledger.result(state);
                metrics.finalized(result.getOutcome());
                context.forward(new Record<>(entry.value, result, streamTime));
            }
        }
    }

    private void index(long at, String taskId) {
        deadlines.put(indexKey(at, taskId), taskId);
        unscannedFrom = Math.min(unscannedFrom, at);
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
