package dev.tokenledger.bench;

import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The share of the work one application instance holds: its active tasks and the records its
 * stream threads processed, from Kafka Streams' own metadata and {@code process-total} metric.
 */
public record InstanceShare(List<String> activeTasks, long recordsProcessed) {

    public static InstanceShare of(KafkaStreams streams) {
        TreeSet<String> tasks = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            thread.activeTasks().forEach(t -> tasks.add(t.taskId().toString()));
        }
        double processed = 0;
        for (var e : streams.metrics().entrySet()) {
            if ("stream-thread-metrics".equals(e.getKey().group()) && "process-total".equals(e.getKey().name())
                    && e.getValue().metricValue() instanceof Double d) {
                processed += d;
            }
        }
        return new InstanceShare(List.copyOf(tasks), Math.round(processed));
    }
}
