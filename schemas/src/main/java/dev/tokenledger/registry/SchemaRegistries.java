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
 *       URL, so its schema caches are shared by every serializer in the JVM.</li>
 * </ul>
 */
public final class SchemaRegistries {

    static final String MEMORY_SCHEME = "mem://";

    private static final Map<String, InMemorySchemaRegistry> IN_MEMORY = new ConcurrentHashMap<>();
    private static final Map<String, RestSchemaRegistryClient> REST = new ConcurrentHashMap<>();

    private SchemaRegistries() {}

    public static SchemaRegistry fromUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is not set");
        }
        String trimmed = url.trim();
        if (trimmed.startsWith(MEMORY_SCHEME)) {
            String name = trimmed.substring(MEMORY_SCHEME.length());
            if (name.isEmpty()) {
                throw new IllegalArgumentException("mem:// registry URL needs a name, e.g. mem://demo");
            }
            return IN_MEMORY.computeIfAbsent(name, n -> new InMemorySchemaRegistry());
        }
        if (trimmed.startsWith("http://") || trimmed.startsWith("https://")) {
            return REST.computeIfAbsent(trimmed, RestSchemaRegistryClient::new);
        }
        throw new IllegalArgumentException(
                "Unsupported schema registry URL (want mem://NAME or http(s)://...): "
                        + RestSchemaRegistryClient.redact(trimmed));
    }
}
