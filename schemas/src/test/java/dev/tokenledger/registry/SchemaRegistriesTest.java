package dev.tokenledger.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaRegistriesTest {

    @Test
    void shouldShareOneInMemoryRegistryPerNameAcrossTheJvm() {
        SchemaRegistry first = SchemaRegistries.fromUrl("mem://registries-test-shared");
        int id = first.register("t-value", InMemorySchemaRegistryTest.record("A", "x"));

        SchemaRegistry second = SchemaRegistries.fromUrl("mem://registries-test-shared");

        assertThat(second).isSameAs(first).isInstanceOf(InMemorySchemaRegistry.class);
        assertThat(second.schemaById(id)).isEqualTo(InMemorySchemaRegistryTest.record("A", "x"));
    }

    @Test
    void shouldKeepDifferentlyNamedInMemoryRegistriesApart() {
        assertThat(SchemaRegistries.fromUrl("mem://registries-test-a"))
                .isNotSameAs(SchemaRegistries.fromUrl("mem://registries-test-b"));
    }

    @Test
    void shouldCacheOneRestClientPerUrl() {
        SchemaRegistry client = SchemaRegistries.fromUrl("http://127.0.0.1:1/apis/ccompat/v7");

        assertThat(client).isInstanceOf(RestSchemaRegistryClient.class)
                .isSameAs(SchemaRegistries.fromUrl("http://127.0.0.1:1/apis/ccompat/v7"));
        assertThat(((RestSchemaRegistryClient) client).baseUrl()).isEqualTo("http://127.0.0.1:1/apis/ccompat/v7");
    }

    @Test
    void shouldRejectUnsupportedSchemesWithoutLeakingCredentials() {
        assertThatThrownBy(() -> SchemaRegistries.fromUrl("ftp://user:secret@host/registry"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mem://NAME or http(s)")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> SchemaRegistries.fromUrl("mem://"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SchemaRegistries.fromUrl(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
