package dev.tokenledger.serde;

import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte 0, the writer schema's registry id as a 4-byte big-endian
 * int, then the Avro binary encoding. Subjects follow TopicNameStrategy: {@code <topic>-key} and
 * {@code <topic>-value}.
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {}

    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /** The writer schema id of {@code data}, after checking the header is there and well-formed. */
    static int schemaId(String topic, byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("Truncated record on topic " + topic + ": " + data.length
                    + " bytes, shorter than the 5-byte Confluent wire format header");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException("Unknown magic byte " + data[0] + " on topic " + topic
                    + ": not Confluent wire format Avro (expected magic byte 0)");
        }
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }

    static Schema writerSchema(SchemaRegistry registry, String topic, int schemaId) {
        try {
            return registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Unknown schema id " + schemaId + " on topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    static int register(SchemaRegistry registry, String topic, boolean isKey, Schema schema) {
        String subject = subject(topic, isKey);
        try {
            return registry.register(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Could not register schema " + schema.getFullName()
                    + " under subject " + subject + ": " + e.getMessage(), e);
        }
    }
}
