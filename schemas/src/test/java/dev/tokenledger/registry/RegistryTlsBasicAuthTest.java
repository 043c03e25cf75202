package dev.tokenledger.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.tls.BasicAuthTlsRegistry;
import dev.tokenledger.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against a registry behind HTTPS (a certificate from a CA made for the test, which the JDK does
 * not trust), with basic auth and a required client certificate, configured with the Confluent keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryTlsBasicAuthTest {

    private static final Schema SCHEMA = InMemorySchemaRegistryTest.record("Secured", "x");

    private TestCertificates certificates;
    private BasicAuthTlsRegistry registry;

    @BeforeAll
    void start(@TempDir Path dir) {
        certificates = TestCertificates.create(dir);
        registry = BasicAuthTlsRegistry.start(certificates, "tokenledger", "registry-secret", true);
    }

    @AfterAll
    void stop() {
        registry.close();
    }

    @Test
    void shouldRegisterAndFetchOverTlsWithBasicAuthAndAClientCertificate() {
        int before = registry.served();
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientSettings.from(settings("registry-secret")));

        client.checkReachable(Duration.ofSeconds(5));
        int id = client.register("secured-value", SCHEMA);
        Schema fetched = new RestSchemaRegistryClient(RegistryClientSettings.from(settings("registry-secret"))).schemaById(id);

        assertThat(fetched).isEqualTo(SCHEMA);
        assertThat(registry.served() - before).isEqualTo(3);
    }

    @Test
    void shouldBeTurnedAwayWithAWrongPasswordAndNotPrintThePassword() {
        int before = registry.rejected();
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientSettings.from(settings("wrong-secret")));

        assertThatThrownBy(() -> client.register("secured-value", SCHEMA))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("wrong-secret");
        assertThat(registry.rejected() - before).isEqualTo(1);
    }

    @Test
    void shouldNotConnectWithoutTheTrustStore() {
        Map<String, Object> untrusting = settings("registry-secret");
        untrusting.remove(RegistryClientSettings.TRUSTSTORE_LOCATION);
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientSettings.from(untrusting));

        assertThatThrownBy(() -> client.checkReachable(Duration.ofSeconds(5)))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("SSLHandshakeException");
    }

    @Test
    void shouldShareOneClientPerSettingAndReadKafkaPasswords() {
        Map<String, Object> withPasswords = settings("registry-secret");
        withPasswords.put(RegistryClientSettings.BASIC_AUTH_USER_INFO, new Password("tokenledger:registry-secret"));

        assertThat(SchemaRegistries.fromConfig(withPasswords)).isSameAs(SchemaRegistries.fromConfig(settings("registry-secret")))
                .isNotSameAs(SchemaRegistries.fromConfig(settings("other-secret")));
        assertThat(RegistryClientSettings.from(withPasswords).toString())
                .contains("basic auth as tokenledger").doesNotContain("registry-secret").doesNotContain(TestCertificates.PASSWORD);
    }

    @Test
    void shouldRejectAnIncompleteCredentialSetting() {
        Map<String, Object> missing = settings("x");
        missing.remove(RegistryClientSettings.BASIC_AUTH_USER_INFO);
        assertThatThrownBy(() -> RegistryClientSettings.from(missing)).hasMessageContaining("basic.auth.user.info");
        Map<String, Object> unknown = settings("x");
        unknown.put(RegistryClientSettings.BASIC_AUTH_SOURCE, "SASL_INHERIT");
        assertThatThrownBy(() -> RegistryClientSettings.from(unknown)).hasMessageContaining("URL or USER_INFO");
    }

    private Map<String, Object> settings(String password) {
        Map<String, Object> s = new HashMap<>();
        s.put(RegistryClientSettings.URL, registry.url());
        s.put(RegistryClientSettings.BASIC_AUTH_SOURCE, "USER_INFO");
        s.put(RegistryClientSettings.BASIC_AUTH_USER_INFO, "tokenledger:" + password);
        s.put(RegistryClientSettings.TRUSTSTORE_LOCATION, certificates.trustStore().toString());
        s.put(RegistryClientSettings.TRUSTSTORE_PASSWORD, TestCertificates.PASSWORD);
        s.put(RegistryClientSettings.KEYSTORE_LOCATION, certificates.clientKeyStore("registry-client").toString());
        s.put(RegistryClientSettings.KEYSTORE_PASSWORD, TestCertificates.PASSWORD);
        return s;
    }
}
