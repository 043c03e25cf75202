package dev.tokenledger.runtime;

import dev.tokenledger.metrics.PipelineMetrics;
import io.micrometer.core.instrument.Metrics;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a record Kafka Streams cannot deserialize, by topic.
 *
 * <p>On a reference-data topic (price book, ownership, budgets) the record is skipped, logged and
 * counted in {@code tokenledger_reference_rejected_total{reason="undecodable"}} (shown on /health):
 * the version in force stays, and one bad row must not stop every instance. Anywhere else the
 * application fails: the usage inputs are read as raw bytes (validate dead-letters what it cannot
 * decode), so a failure here is on a topic the pipeline wrote itself, most likely because the schema
 * registry is unreachable, and skipping would lose a priced call without a trace. Failing aborts the
 * transaction; the thread is replaced a few times, then {@code run} exits non-zero, and the record
 * is processed once the registry answers.
 */
public final class ReferenceDataOnlyDeserializationHandler implements DeserializationExceptionHandler {

    /** The Streams property carrying the reference topics' names, comma-separated. */
    public static final String REFERENCE_TOPICS = "tokenledger.deserialization.reference-topics";

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceDataOnlyDeserializationHandler.class);

    private Set<String> referenceTopics = Set.of();

    @Override
    public void configure(Map<String, ?> configs) {
        Object topics = configs.get(REFERENCE_TOPICS);
        if (topics != null) {
            referenceTopics = Arrays.stream(topics.toString().split(",")).map(String::trim)
                    .filter(t -> !t.isEmpty()).collect(Collectors.toUnmodifiableSet());
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (referenceTopics.contains(record.topic())) {
            Metrics.counter(PipelineMetrics.REFERENCE_REJECTED, "topic", record.topic(), "reason", "undecodable").increment();
            LOG.error("skipping undecodable reference record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    exception.toString());
            return Response.resume();
        }
        LOG.error("cannot deserialize {}-{}@{} ({}); failing rather than losing the record", record.topic(),
                record.partition(), record.offset(), exception.toString());
        return Response.fail();
    }
}
