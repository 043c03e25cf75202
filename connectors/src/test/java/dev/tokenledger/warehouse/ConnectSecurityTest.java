package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectSecurityTest {

    @Test
    void shouldGiveTheWorkerAndEachClientItMakesTheSecuritySettings() {
        Map<String, String> worker = ConnectSecurity.worker(Map.of(
                "security.protocol", "SSL",
                "ssl.keystore.location", "/etc/connect/keystore.p12",
                "bootstrap.servers", "kafka:9093"));

        assertThat(worker).hasSize(8)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("consumer.security.protocol", "SSL")
                .containsEntry("producer.security.protocol", "SSL")
                .containsEntry("admin.security.protocol", "SSL")
                .containsEntry("consumer.ssl.keystore.location", "/etc/connect/keystore.p12")
                .doesNotContainKey("bootstrap.servers");
    }

    @Test
    void shouldPutTheRegistryKeysUnderTheConverter() {
        Map<String, String> converter = ConnectSecurity.converterRegistry(Map.of(
                "schema.registry.url", "https://registry:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "connect:pw",
                "schema.registry.ssl.truststore.location", "/etc/connect/truststore.p12",
                "security.protocol", "SSL"));

        assertThat(converter).containsOnlyKeys("value.converter.schema.registry.url", "value.converter.basic.auth.credentials.source",
                "value.converter.basic.auth.user.info", "value.converter.schema.registry.ssl.truststore.location");
    }
}
