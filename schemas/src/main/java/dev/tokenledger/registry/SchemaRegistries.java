package dev.tokenledger.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a {@code schema.registry.url} to a shared {@link SchemaRegistry}.
 *
 * <ul>
 *   <li>{@code mem://NAME}: one {@link InMemorySchemaRegistry} per NAME for the whole JVM, so the
 *       Streams app, producers and a Connect worker in one process see the same ids (as
 *       Confluent's {@code mock://} scheme does).</li>
 *   <li>{@code http://...} or {@code https://...}: one cached {@link RestSchemaRegistryClient} per
 *       URL and credentials, so its schema caches are shared by every serializer in the JVM.</li>
 * </ul>
 */
public final class SchemaRegistries {

    static final String MEMORY_SCHEME = "mem://";

    private static final Map<String, InMemorySchemaRegistry> IN_MEMORY = new ConcurrentHashMap<>();
    private static final Map<RegistryClientSettings, RestSchemaRegistryClient> REST = new ConcurrentHashMap<>();

    private SchemaRegistries() {}

    public static SchemaRegistry fromUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is not set");
        }
        return fromSettings(RegistryClientSettings.ofUrl(url.trim()));
    }

    /**
     * The registry a client configuration names: {@code schema.registry.url} with the credential and TLS keys
     * {@link RegistryClientSettings} reads ({@code basic.auth.user.info}, {@code schema.registry.ssl.*}, …).
     */
    public static SchemaRegistry fromConfig(Map<String, ?> configs) {
        Object url = configs.get(RegistryClientSettings.URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is not set");
        }
        return fromSettings(RegistryClientSettings.from(configs));
    }

    private static SchemaRegistry fromSettings(RegistryClientSettings settings) {
        String trimmed = settings.url().trim();
        if (trimmed.startsWith(MEMORY_SCHEME)) {
            String name = trimmed.substring(MEMORY_SCHEME.length());
            if (name.isEmpty()) {
                throw new IllegalArgumentException("mem:// registry URL needs a name, e.g. mem://demo");
            }
            return IN_MEMORY.computeIfAbsent(name, n -> new InMemorySchemaRegistry());
        }
        if (trimmed.startsWith("http://") || trimmed.startsWith("https://")) {
            return REST.computeIfAbsent(settings, RestSchemaRegistryClient::new);
        }
        throw new IllegalArgumentException(
                "Unsupported schema registry URL (want mem://NAME or http(s)://...): "
                        + RestSchemaRegistryClient.redact(trimmed));
    }
}
