package dev.tokenledger.demo;

import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.task.TaskOutcomeJson;
import dev.tokenledger.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Plays the product's side for the demo: task outcomes as JSON on {@code llm.task-outcomes.json.v1}, keyed by
 * task_id, either as the generator's product simulation decides them or from a JSON Lines file.
 *
 * <p>Outcomes go out in step with the calls, as a product publishes them once the work is done: a file's outcome
 * is due once the events sent have reached its time, a simulated one when it is decided, and either is sent only
 * after the pipeline has accounted for as many events as had been sent by then ({@link #release}). The task stage
 * runs on stream time, and outcomes take a shorter path than calls: sent at once, they would move its stream time
 * past the window of tasks whose calls it has not read yet, which would end as orphan outcomes. Lines that do not
 * parse are sent first, for the DLQ. Every record goes to partition 0, so that the end-of-input outcome is read after
 * all the others.
 *
 * <p>{@link #closeInput} ends the input: every task is final once stream time passes its latest activity by the
 * completion window, and an idle stage's stream time does not move, so the demo sends one last outcome, for task
 * {@value #END_OF_INPUT}, stamped a window and a minute after everything played. Stream time is per partition of the
 * task stage's repartition, so it sends one such outcome to each (task ids {@value #END_OF_INPUT}-n, picked by the
 * partitioner's hash): a partition none reached would keep the tasks of its last window open. Those tasks have no
 * calls and are never final themselves (nothing comes after them), so they appear nowhere.
 */
public final class OutcomeFeed implements AutoCloseable {

    public static final String END_OF_INPUT = "tokenledger-demo-end-of-input";
    private static final Duration MARGIN = Duration.ofMinutes(1);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topics topics;
    /** A file's outcomes not yet due, in time order. */
    private final Deque<Pending> queued = new ArrayDeque<>();
    /** Due outcomes waiting for the pipeline to account for the events sent before them. */
    private final Deque<Due> ready = new ArrayDeque<>();
    private long eventsSent;
    private Instant latest = Instant.EPOCH;
    private long sent;
    private volatile Exception failure;

    private record Pending(Instant at, String taskId, String line) {
    }

    private record Due(long afterEvents, String taskId, String line) {
    }

    public OutcomeFeed(String bootstrapServers, Topics topics) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
    }

    /** Queues a file's lines in time order; the ones that do not parse go out at once (the stage dead-letters them). */
    public void queue(List<String> lines) {
        List<Pending> valid = new ArrayList<>();
        for (String line : lines) {
            TaskOutcomeJson.Parsed parsed = TaskOutcomeJson.parse(line.getBytes(StandardCharsets.UTF_8));
            if (parsed.outcome() == null) {
                send(null, line);
            } else {
                valid.add(new Pending(parsed.outcome().getTimestamp(), parsed.outcome().getTaskId(), line));
            }
        }
        valid.sort(Comparator.comparing(Pending::at));
        queued.addAll(valid);
    }

    /**
     * One more event was sent, of time {@code eventTime}: a file's outcomes up to the latest event time are due. An
     * event from the future (it will be dead-lettered) moves nothing.
     */
    public void eventSent(Instant eventTime) {
        eventsSent++;
        if (eventTime.isAfter(latest) && !eventTime.isAfter(Instant.now())) {
            latest = eventTime;
        }
        while (!queued.isEmpty() && !queued.peekFirst().at().isAfter(latest)) {
            Pending next = queued.pollFirst();
            ready.addLast(new Due(eventsSent, next.taskId(), next.line()));
        }
    }

    /** Outcomes decided by the generator's product simulation: due now. */
    public void decided(List<TaskOutcome> outcomes) {
        for (TaskOutcome o : outcomes) {
            seen(o.getTimestamp());
            ready.addLast(new Due(eventsSent, o.getTaskId(), TaskOutcomeJson.toJson(o)));
        }
    }

    /** Sends the due outcomes whose events the pipeline has accounted for (priced, dead-lettered or absorbed). */
    public void release(long eventsAccounted) {
        while (!ready.isEmpty() && ready.peekFirst().afterEvents() <= eventsAccounted) {
            Due next = ready.pollFirst();
            send(next.taskId(), next.line());
        }
    }

    /** Every outcome not sent yet, the file's later than every event included: the events are all accounted for. */
    public void sendRest() {
        release(Long.MAX_VALUE);
        while (!queued.isEmpty()) {
            Pending next = queued.pollFirst();
            seen(next.at());
            send(next.taskId(), next.line());
        }
    }

    /**
     * Sends the end-of-input outcome, one to each of the task stage's {@code taskPartitions}, a {@code window} and a
     * minute after the latest event or outcome, but not after
     * {@code now} (an outcome from the future is dead-lettered); returns its time. Tasks whose window has not passed
     * by then stay open.
     */
    public Instant closeInput(Duration window, Instant now, int taskPartitions) {
        Instant at = latest.plus(window).plus(MARGIN);
        if (at.isAfter(now)) {
            at = now;
        }
        for (String taskId : endOfInputIds(taskPartitions)) {
            TaskOutcome end = TaskOutcome.newBuilder().setTaskId(taskId).setOutcome("abandoned").setTimestamp(at)
                    .setAttributes(Map.of("reason", "demo end of input")).build();
            send(taskId, TaskOutcomeJson.toJson(end));
        }
        flush();
        return at;
    }

    /** One task id per partition of a {@code partitions}-partition topic keyed by task id (Kafka's murmur2 partitioner). */
    static List<String> endOfInputIds(int partitions) {
        String[] byPartition = new String[partitions];
        int found = 0;
        for (int n = 0; found < partitions; n++) {
            String id = END_OF_INPUT + "-" + n;
            int p = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (byPartition[p] == null) {
                byPartition[p] = id;
                found++;
            }
        }
        return List.of(byPartition);
    }

    /** Outcome records sent, the end-of-input one included. */
    public long sent() {
        return sent;
    }

    public void flush() {
        producer.flush();
        if (failure != null) {
            throw new IllegalStateException("producing task outcomes failed: " + failure.getMessage(), failure);
        }
    }

    private void seen(Instant at) {
        if (at.isAfter(latest)) {
            latest = at;
        }
    }

    private void send(String taskId, String line) {
        if (failure != null) {
            throw new IllegalStateException("producing task outcomes failed: " + failure.getMessage(), failure);
        }
        byte[] key = taskId == null ? null : taskId.getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topics.taskOutcomesJson.name(), 0, key, line.getBytes(StandardCharsets.UTF_8)),
                (meta, e) -> {
                    if (e != null) failure = e;
                });
        sent++;
    }

    @Override
    public void close() {
        producer.close();
    }
}
