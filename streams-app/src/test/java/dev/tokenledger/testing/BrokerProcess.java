package dev.tokenledger.testing;

import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;

/**
 * A Kafka broker in a process of its own, for fault tests that kill the broker and the
 * application separately: {@code BrokerProcess DATA_DIR PORT} serves on 127.0.0.1:PORT until killed.
 */
public final class BrokerProcess {

    private BrokerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        System.out.println("broker ready at " + broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
