package dev.tokenledger.runtime;

import dev.tokenledger.config.TokenLedgerConfig;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The part of a configuration a plain Kafka client of tokenledger's own (a reference-data producer, an admin)
 * takes: the keys that client type knows, among them {@code bootstrap.servers}, {@code security.protocol},
 * {@code sasl.*} and {@code ssl.*}, plus {@code config.providers*} (so {@code ${file:…}} references resolve).
 * Streams-only and registry keys stay out, so the client neither warns about them nor holds a secret it does not use.
 */
public final class ClientProperties {

    private ClientProperties() {
    }

    public static Properties producer(TokenLedgerConfig config) {
        return only(config, ProducerConfig.configNames());
    }

    public static Properties consumer(TokenLedgerConfig config) {
        return only(config, ConsumerConfig.configNames());
    }

    public static Properties admin(TokenLedgerConfig config) {
        return only(config, AdminClientConfig.configNames());
    }

    private static Properties only(TokenLedgerConfig config, Set<String> names) {
        Properties p = config.kafkaProperties();
        p.keySet().removeIf(key -> !names.contains(key.toString()) && !key.toString().startsWith("config.providers"));
        return p;
    }
}
