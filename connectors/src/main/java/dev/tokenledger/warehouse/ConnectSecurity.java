package dev.tokenledger.warehouse;

import dev.tokenledger.registry.RegistryClientSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings that put a Kafka Connect worker and the warehouse sinks on a secured cluster and registry.
 *
 * <p>A worker does not hand its own {@code security.protocol}, {@code sasl.*} and {@code ssl.*} to the clients it
 * makes for connectors: a sink task's consumer reads {@code consumer.*}, the dead-letter producer
 * {@code producer.*}, the admin that creates the DLQ topic {@code admin.*}. Forgetting one leaves that client on
 * PLAINTEXT, which a secured listener refuses (the task fails, or the DLQ does). The converter reads the registry
 * keys under {@code value.converter.}.
 */
public final class ConnectSecurity {

    /** The prefixes the worker reads client settings for connectors' clients from. */
    static final List<String> CLIENT_PREFIXES = List.of("producer.", "consumer.", "admin.");

    private ConnectSecurity() {
    }

    /** Whether {@code key} is a Kafka client security setting. */
    public static boolean isClientSecurityKey(String key) {
        return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.");
    }

    /**
     * Worker settings from a Kafka client's security settings ({@code security.protocol}, {@code sasl.*},
     * {@code ssl.*}; other keys are ignored): each for the worker itself and again under {@code producer.},
     * {@code consumer.} and {@code admin.}.
     */
    public static Map<String, String> worker(Map<String, String> clientSecurity) {
        Map<String, String> worker = new LinkedHashMap<>();
        clientSecurity.forEach((key, value) -> {
            if (isClientSecurityKey(key)) {
                worker.put(key, value);
                CLIENT_PREFIXES.forEach(prefix -> worker.put(prefix + key, value));
            }
        });
        return worker;
    }

    /**
     * A sink's converter settings for a registry with credentials or TLS: each registry key
     * ({@code schema.registry.url}, {@code basic.auth.*}, {@code bearer.auth.*}, {@code schema.registry.ssl.*})
     * under {@code value.converter.}; other keys are ignored.
     */
    public static Map<String, String> converterRegistry(Map<String, String> registry) {
        Map<String, String> converter = new LinkedHashMap<>();
        registry.forEach((key, value) -> {
            if (RegistryClientSettings.isRegistryKey(key)) {
                converter.put("value.converter." + key, value);
            }
        });
        return converter;
    }
}
