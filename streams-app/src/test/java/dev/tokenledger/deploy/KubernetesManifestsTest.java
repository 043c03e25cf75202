package dev.tokenledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tokenledger.config.ConfigRegistry;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.topics.Topics;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The generated manifests in deploy/kubernetes/base are what {@link KubernetesManifests} makes of the code
 * now. A file that differs is rewritten and the test fails once, like the pinned topology description:
 * review the diff and commit it.
 */
class KubernetesManifestsTest {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path BASE = REPO.resolve("deploy/kubernetes/base");
    static final Path RULES = REPO.resolve("deploy/observability/prometheus/tokenledger-rules.yaml");

    static Topics defaultTopics() {
        return new Topics(TokenLedgerConfig.of(Map.of()), SchemaRegistries.fromUrl("mem://kubernetes-manifests-test"));
    }

    static Map<String, String> generated() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("configmap.yaml", KubernetesManifests.configMap());
        files.put("kafka-topics.yaml", KubernetesManifests.kafkaTopics(defaultTopics()));
        files.put("kafka-connectors.yaml", KubernetesManifests.kafkaConnectors());
        files.put("prometheus-rule.yaml", KubernetesManifests.prometheusRule(Files.readString(RULES)));
        return files;
    }

    @Test
    void shouldMatchTheCheckedInGeneratedManifests() throws Exception {
        List<String> rewritten = new ArrayList<>();
        for (Map.Entry<String, String> file : generated().entrySet()) {
            Path path = BASE.resolve(file.getKey());
            String checkedIn = Files.exists(path) ? Files.readString(path) : "";
            if (!checkedIn.equals(file.getValue())) {
                Files.writeString(path, file.getValue());
                rewritten.add(file.getKey());
            }
        }
        assertThat(rewritten).as("rewritten from the code (review the diff, commit, rerun)").isEmpty();
    }

    @Test
    void shouldShipEveryRegistryKeyInAConfigMapThatValidates() throws Exception {
        JsonNode configMap = new YAMLMapper().readTree(Files.readString(BASE.resolve("configmap.yaml")));
        Properties file = new Properties();
        file.load(new StringReader(configMap.get("data").get(KubernetesManifests.CONFIG_FILE).asText()));
        Map<String, String> values = new LinkedHashMap<>();
        file.stringPropertyNames().forEach(k -> values.put(k, file.getProperty(k)));

        assertThat(values.keySet()).containsAll(ConfigRegistry.DEF.names());
        ConfigRegistry.validate(values); // throws on an invalid value
        ConfigRegistry.defaults().forEach((key, fallback) -> assertThat(values.get(key)).as(key)
                .isEqualTo(KubernetesManifests.DEPLOYMENT_VALUES.getOrDefault(key, fallback)));
        assertThat(values).containsEntry("bootstrap.servers", "tokenledger-kafka-bootstrap:9093")
                .containsEntry("num.standby.replicas", "1")
                .containsEntry("replication.factor", "3")
                .containsEntry(TokenLedgerConfig.ANOMALY_PLANNED, "");
    }
}
