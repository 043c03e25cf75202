package dev.tokenledger.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretValuesTest {

    @Test
    void shouldHideEveryKindOfCredentialAndNothingElse() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"app\" password=\"kafka-pw\";");
        config.put("ssl.truststore.password", "store-pw");
        config.put("producer.ssl.keystore.password", "store-pw");
        config.put("ssl.key.password", "key-pw");
        config.put("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----");
        config.put("basic.auth.user.info", "registry:registry-pw");
        config.put("value.converter.basic.auth.user.info", "registry:registry-pw");
        config.put("bearer.auth.token", "registry-token");
        config.put("tokenledger.http.token", "operator-token");
        config.put("tokenledger.http.budgets-token", "gateway-token");
        config.put("sasl.oauthbearer.client.credentials.client.secret", "oauth-secret");
        config.put("schema.registry.url", "https://registry:url-pw@registry.example.com:8081");
        config.put("connection.url", "jdbc:postgresql://db:5432/finops");
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put("ssl.truststore.location", "/etc/kafka/truststore.p12");
        config.put("tokenledger.dedupe.retention", "PT24H");
        config.put("tokenledger.http.metrics-open", "true");
        config.put("basic.auth.credentials.source", "USER_INFO");
        config.put("sasl.oauthbearer.token.endpoint.url", "https://idp.example.com/token");

        Map<String, String> shown = SecretValues.masked(config);

        assertThat(shown.toString()).doesNotContain("kafka-pw", "store-pw", "key-pw", "PRIVATE KEY", "registry-pw",
                "registry-token", "operator-token", "gateway-token", "oauth-secret", "url-pw");
        assertThat(shown).containsEntry("sasl.jaas.config", SecretValues.HIDDEN)
                .containsEntry("tokenledger.http.budgets-token", SecretValues.HIDDEN)
                .containsEntry("value.converter.basic.auth.user.info", SecretValues.HIDDEN)
                .containsEntry("schema.registry.url", "https://registry:[hidden]@registry.example.com:8081")
                .containsEntry("connection.url", "jdbc:postgresql://db:5432/finops")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                .containsEntry("tokenledger.dedupe.retention", "PT24H")
                .containsEntry("tokenledger.http.metrics-open", "true")
                .containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("sasl.oauthbearer.token.endpoint.url", "https://idp.example.com/token");
    }

    @Test
    void shouldShowAnUnsetCredentialAsEmpty() {
        assertThat(SecretValues.display("tokenledger.http.token", "")).isEmpty();
    }
}
