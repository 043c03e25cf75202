package dev.tokenledger.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void shouldGiveTheSameIdWhenTheSameSchemaIsRegisteredAgainUnderTheSameSubject() {
        int first = registry.register("t-value", record("A", "x"));
        int again = registry.register("t-value", record("A", "x"));

        assertThat(again).isEqualTo(first);
        assertThat(registry.versions("t-value")).containsExactly(first);
    }

    @Test
    void shouldGiveIncreasingGlobalIdsToNewSchemasAcrossSubjects() {
        int a = registry.register("t-value", record("A", "x"));
        int b = registry.register("t-value", record("A", "y"));
        int c = registry.register("u-key", record("C", "z"));

        assertThat(List.of(a, b, c)).containsExactly(1, 2, 3);
        assertThat(registry.versions("t-value")).containsExactly(1, 2);
    }

    @Test
    void shouldReuseTheIdOfAKnownSchemaUnderAnotherSubject() {
        int id = registry.register("t-value", record("A", "x"));

        assertThat(registry.register("u-value", record("A", "x"))).isEqualTo(id);
        assertThat(registry.versions("u-value")).containsExactly(id);
    }

    @Test
    void shouldReturnRegisteredSchemaById() {
        Schema schema = record("A", "x");

        assertThat(registry.schemaById(registry.register("t-value", schema))).isEqualTo(schema);
    }

    @Test
    void shouldThrowForUnknownId() {
        assertThatThrownBy(() -> registry.schemaById(42))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("42");
    }

    @Test
    void shouldHandOutOneIdPerDistinctSchemaUnderConcurrentRegistration() {
        Set<Integer> ids = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 400).parallel()
                .forEach(i -> ids.add(registry.register("t-value", record("R" + (i % 40), "x"))));

        assertThat(ids).hasSize(40);
        assertThat(ids).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 40).boxed().toList());
    }

    static Schema record(String name, String field) {
        return SchemaBuilder.record(name).namespace("test").fields().requiredLong(field).endRecord();
    }
}
