package dev.tokenledger.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that serializers need: register a schema under a
 * subject (idempotent, returns its global id) and look a schema up by id.
 *
 * <p>The Confluent client jars are not obtainable in this build environment, so tokenledger keeps
 * its own small client ({@link RestSchemaRegistryClient}) for the REST API that Confluent Schema
 * Registry, Apicurio (ccompat), Karapace and Redpanda all serve, and an in-JVM registry
 * ({@link InMemorySchemaRegistry}) for TopologyTestDriver tests and the single-JVM demo.
 * Implementations cache: a schema is fetched or registered once per JVM.
 */
public interface SchemaRegistry {

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with global id {@code id}; throws {@link SchemaRegistryException} when unknown. */
    Schema schemaById(int id);
}
