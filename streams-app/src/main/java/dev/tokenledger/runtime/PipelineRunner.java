package dev.tokenledger.runtime;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.RegistryClientSettings;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.topology.TokenLedgerTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Runs the topology: the side effects (threads, state directory, metrics binding) live here, not
 * in the topology. Used alike by {@code tokenledger run} against a cluster and by the embedded demo.
 */
public final class PipelineRunner implements AutoCloseable {

    private final KafkaStreams streams;
    private final PipelineMetrics metrics;
    private final BoundedThreadReplacement replacement;
    private final Duration closeTimeout;
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private final CompletableFuture<KafkaStreams.State> failed = new CompletableFuture<>();
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private KafkaStreamsMetrics streamsMetrics;

    private PipelineRunner(KafkaStreams streams, PipelineMetrics metrics, BoundedThreadReplacement replacement, Duration closeTimeout) {
        this.streams = streams;
        this.metrics = metrics;
        this.replacement = replacement;
        this.closeTimeout = closeTimeout;
    }

    public static Properties streamsProperties(TokenLedgerConfig config, Path stateDir) {
        Properties props = config.kafkaProperties();
        props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A corrupt reference-data record is skipped and counted; anything else that cannot be
        // deserialized fails the application rather than losing a record (see the handler).
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, ReferenceDataOnlyDeserializationHandler.class.getName());
        props.putIfAbsent(ReferenceDataOnlyDeserializationHandler.REFERENCE_TOPICS,
                String.join(",", config.topic("pricebook"), config.topic("ownership"), config.topic("budgets")));
        // An exception nobody anticipated fails fast instead of going to Kafka Streams' dead-letter
        // queue: the handler runs at the failing processor, after the processors upstream of it
        // (dedupe among them) have updated their stores and forwarded, so skipping the record would
        // commit half of it and break "the rollups sum to the priced events". Failing aborts the
        // transaction whole; the thread is replaced a few times (BoundedThreadReplacement), then the
        // application stops, and reprocesses the record from its committed offset once the bug is
        // fixed. Anticipated bad input is caught earlier and goes to the pipeline's own DLQ.
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailProcessingExceptionHandler.class.getName());
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.putIfAbsent(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        // No stage's result depends on the order records of a task's partitions are interleaved in
        // (ArrivalOrderTest), so a task never waits for an empty partition to catch up. It is also
        // cheaper: with any other value, Streams formats a log line for each empty partition on every
        // record it considers (about 8% of the stream thread when the JSON input is idle).
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        // The priced record is some 500 bytes of Avro and the slim repartition records share most of
        // their keys' text: lz4 cuts what the broker stores, replicates and serves several-fold.
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Not overridable: every internal topic and store has a pinned name (TokenLedgerTopology enforces it at build).
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        // The registry's URL, credentials and TLS keys are for the registry client, not Kafka's clients.
        props.keySet().removeIf(key -> RegistryClientSettings.isRegistryKey(key.toString()));
        return props;
    }

    public static PipelineRunner start(TokenLedgerConfig config, SchemaRegistry registry, PipelineMetrics metrics, Path stateDir) {
        Topology topology = new TokenLedgerTopology(config, registry, PriceBook.empty(), metrics).build();
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config, stateDir));
        BoundedThreadReplacement replacement = new BoundedThreadReplacement(config.integer(TokenLedgerConfig.MAX_THREAD_REPLACEMENTS),
                config.duration(TokenLedgerConfig.THREAD_REPLACEMENT_WINDOW), InstantSource.system());
        PipelineRunner runner = new PipelineRunner(streams, metrics, replacement, config.duration(TokenLedgerConfig.CLOSE_TIMEOUT));
        streams.setStateListener((next, previous) -> {
            runner.state = next;
            if (next == KafkaStreams.State.RUNNING) {
                runner.bindStreamsMetrics();
                runner.running.complete(null);
            } else if (isFailed(next)) {
                runner.failed.complete(next);
            }
        });
        streams.setUncaughtExceptionHandler(exception -> {
            var response = replacement.handle(exception);
            metrics.streamThreadFailed(response == StreamThreadExceptionResponse.REPLACE_THREAD ? "replaced" : "shutdown");
            return response;
        });
        streams.start();
        return runner;
    }

    private synchronized void bindStreamsMetrics() {
        // Bound after tasks are assigned, or store metrics would only appear after the binder's rescan.
        if (streamsMetrics == null) {
            streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(metrics.registry());
            StateGauges.bind(streams, metrics.registry());
        }
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Completes when the client first reaches RUNNING. */
    public CompletableFuture<Void> running() {
        return running;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return state;
    }

    /** PENDING_ERROR and ERROR are terminal: the client has shut itself down after a failure. */
    private static boolean isFailed(KafkaStreams.State state) {
        return state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.ERROR;
    }

    /** Completes when the Streams client shuts itself down after a failure. */
    public CompletableFuture<KafkaStreams.State> failed() {
        return failed;
    }

    /** The stream-thread failure that made the client give up, when that is why it stopped. */
    public Optional<Throwable> failure() {
        return replacement.fatal();
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Closes Streams, waiting up to the close timeout for the threads to commit or abort their
     * transactions and leave; true if they all stopped in time.
     */
    public synchronized boolean closeCleanly() {
        boolean clean = streams.close(closeTimeout);
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
        return clean;
    }

    @Override
    public void close() {
        closeCleanly();
    }
}
