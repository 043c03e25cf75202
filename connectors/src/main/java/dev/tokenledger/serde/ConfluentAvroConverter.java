package dev.tokenledger.serde;

import dev.tokenledger.registry.RegistryClientSettings;
import dev.tokenledger.registry.SchemaRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Kafka Connect converter for Confluent wire format Avro, for sink connectors (the Debezium JDBC
 * sink needs records that carry a Connect schema). Confluent's {@code AvroConverter} is not
 * obtainable in this build environment, so this one reads only: {@link #fromConnectData} is
 * unsupported.
 *
 * <p>Config: {@code schema.registry.url} ({@code mem://NAME} or http(s)). Each record is read with its
 * writer schema; the Avro-to-Connect mapping (see {@link AvroToConnect}) is built once per writer
 * schema id. tokenledger keys are plain strings: configure Connect's {@code StringConverter} for keys.
 */
public final class ConfluentAvroConverter implements Converter {

    private static final GenericData AVRO_MODEL = withLogicalTypes();

    private SchemaRegistry registry;
    private final Map<Integer, WriterMapping> mappingsByWriterId = new ConcurrentHashMap<>();
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    private record WriterMapping(GenericDatumReader<Object> reader, AvroToConnect mapping) {}

    @Override
    public ConfigDef config() {
        // The credential keys are PASSWORDs, so Connect hides them wherever it shows a converter's config.
        return new ConfigDef().define(SerdeConfig.SCHEMA_REGISTRY_URL, ConfigDef.Type.STRING,
                        ConfigDef.Importance.HIGH, "mem://NAME or the http(s) base URL of a Confluent-compatible registry")
                .define(RegistryClientSettings.BASIC_AUTH_SOURCE, ConfigDef.Type.STRING, "URL", ConfigDef.Importance.MEDIUM,
                        "URL (user:password@ in the URL) or USER_INFO (basic.auth.user.info)")
                .define(RegistryClientSettings.BASIC_AUTH_USER_INFO, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.MEDIUM,
                        "user:password for the registry's basic auth")
                .define(RegistryClientSettings.BEARER_AUTH_SOURCE, ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW,
                        "STATIC_TOKEN to send bearer.auth.token")
                .define(RegistryClientSettings.BEARER_AUTH_TOKEN, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.LOW,
                        "bearer token for the registry")
                .define(RegistryClientSettings.TRUSTSTORE_LOCATION, ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
                        "trust store for the registry's TLS certificate")
                .define(RegistryClientSettings.TRUSTSTORE_PASSWORD, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.MEDIUM,
                        "password of the trust store")
                .define(RegistryClientSettings.TRUSTSTORE_TYPE, ConfigDef.Type.STRING, "PKCS12", ConfigDef.Importance.LOW,
                        "type of the trust store")
                .define(RegistryClientSettings.KEYSTORE_LOCATION, ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW,
                        "key store with a client certificate, for a registry that requires one")
                .define(RegistryClientSettings.KEYSTORE_PASSWORD, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.LOW,
                        "password of the key store")
                .define(RegistryClientSettings.KEYSTORE_TYPE, ConfigDef.Type.STRING, "PKCS12", ConfigDef.Importance.LOW,
                        "type of the key store")
                .define(RegistryClientSettings.KEY_PASSWORD, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.LOW,
                        "password of the key in the key store (default: the key store's)");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SerdeConfig.registry(configs);
    }

    @Override
    public byte[] fromConnectData(String topic, org.apache.kafka.connect.data.Schema schema, Object value) {
        throw new UnsupportedOperationException(
                "ConfluentAvroConverter only reads (sink connectors); writing Connect data as Avro is not supported");
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        if (registry == null) {
            throw new DataException("ConfluentAvroConverter used before configure()");
        }
        try {
            int schemaId = WireFormat.schemaId(topic, value);
            WriterMapping writer = mappingFor(topic, schemaId);
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                    value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, decoders.get());
            decoders.set(decoder);
            Object avro = writer.reader().read(null, decoder);
            return new SchemaAndValue(writer.mapping().connectSchema(), writer.mapping().toConnect(avro));
        } catch (SerializationException | IOException | org.apache.avro.AvroRuntimeException e) {
            throw new DataException("Could not convert Avro record on topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private WriterMapping mappingFor(String topic, int schemaId) {
        WriterMapping mapping = mappingsByWriterId.get(schemaId);
        if (mapping == null) {
            Schema writerSchema = WireFormat.writerSchema(registry, topic, schemaId);
            mapping = new WriterMapping(
                    new GenericDatumReader<>(writerSchema, writerSchema, AVRO_MODEL), AvroToConnect.of(writerSchema));
            mappingsByWriterId.putIfAbsent(schemaId, mapping);
        }
        return mapping;
    }

    /** Decimals read as BigDecimal and timestamp-millis as Instant, which the mapping expects. */
    private static GenericData withLogicalTypes() {
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.DateConversion());
        return model;
    }
}
