package dev.tokenledger.runtime;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.topology.TokenLedgerTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the topology: the side effects (threads, state directory, metrics binding) live here, not
 * in the topology. Used alike by {@code tokenledger run} against a cluster and by the embedded demo.
 */
public final class PipelineRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private final KafkaStreams streams;
    private final PipelineMetrics metrics;
    private final CountDownLatch running = new CountDownLatch(1);
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private KafkaStreamsMetrics streamsMetrics;

    private PipelineRunner(KafkaStreams streams, PipelineMetrics metrics) {
        this.streams = streams;
        this.metrics = metrics;
    }

    public static Properties streamsProperties(TokenLedgerConfig config, Path stateDir) {
        Properties props = config.kafkaProperties();
        props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Reference data (price book, ownership) is Avro: a corrupt record there is logged and
        // skipped (and counted by Streams' dropped-records metric) rather than stopping every instance.
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        props.putIfAbsent("processing.exception.handler.global.enabled", "true");
        props.putIfAbsent(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        props.remove(TokenLedgerConfig.SCHEMA_REGISTRY_URL);
        return props;
    }

    public static PipelineRunner start(TokenLedgerConfig config, SchemaRegistry registry, PipelineMetrics metrics, Path stateDir) {
        Topology topology = new TokenLedgerTopology(config, registry, PriceBook.empty(), metrics).build();
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config, stateDir));
        PipelineRunner runner = new PipelineRunner(streams, metrics);
        streams.setStateListener((next, previous) -> {
            runner.state = next;
            if (next == KafkaStreams.State.RUNNING) {
                runner.bindStreamsMetrics();
                runner.running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return runner;
    }

    private synchronized void bindStreamsMetrics() {
        // Bound after tasks are assigned, or store metrics would only appear after the binder's rescan.
        if (streamsMetrics == null) {
            streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(metrics.registry());
        }
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return state;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }
}
