package dev.tokenledger.serde;

import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;

/** The Kafka config keys the serdes read when Kafka instantiates them by class name. */
public final class SerdeConfig {

    /** {@code mem://NAME} or an http(s) URL; see {@link SchemaRegistries#fromUrl(String)}. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Fully qualified name of the generated SpecificRecord class to read into. */
    public static final String SPECIFIC_AVRO_READER_CLASS = "specific.avro.reader.class";

    private SerdeConfig() {}

    static SchemaRegistry registry(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required");
        }
        // The Confluent keys for credentials and TLS (basic.auth.*, schema.registry.ssl.*) come along.
        return SchemaRegistries.fromConfig(configs);
    }

    /** The configured record class, or null when the key is absent. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> Class<T> recordClass(Map<String, ?> configs) {
        Object value = configs.get(SPECIFIC_AVRO_READER_CLASS);
        if (value == null) {
            return null;
        }
        Class<?> type;
        if (value instanceof Class<?> c) {
            type = c;
        } else {
            try {
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                ClassLoader loader = context != null ? context : SerdeConfig.class.getClassLoader();
                type = Class.forName(value.toString().trim(), true, loader);
            } catch (ClassNotFoundException e) {
                throw new ConfigException(SPECIFIC_AVRO_READER_CLASS, value, "class not found");
            }
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(SPECIFIC_AVRO_READER_CLASS, value, "not an Avro SpecificRecord class");
        }
        return (Class<T>) type;
    }
}
