package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SinkConnectorConfigsTest {

    /** What legitimately differs between the embedded worker and a cluster: where things are, and replication. */
    private static final Set<String> DEPLOYMENT_SPECIFIC = Set.of("connection.url", "connection.username",
            "connection.password", SinkConnectorConfigs.SCHEMA_REGISTRY_URL,
            "errors.deadletterqueue.topic.replication.factor");

    private static final Path DEPLOY_CONNECT = Path.of(System.getProperty("basedir", "."))
            .resolve("../deploy/connect").normalize();

    @Test
    void shouldShipTheSameSinkSettingsToTheEmbeddedWorkerAndToDistributedConnect() throws Exception {
        for (String name : SinkConnectorConfigs.ALL) {
            JsonNode deployed = new ObjectMapper().readTree(DEPLOY_CONNECT.resolve(name + ".json").toFile());
            assertThat(deployed.get("name").asText()).isEqualTo(name);
            Map<String, String> distributed = new TreeMap<>();
            deployed.get("config").fields().forEachRemaining(e -> distributed.put(e.getKey(), e.getValue().asText()));
            Map<String, String> embedded = new TreeMap<>(SinkConnectorConfigs.load(name));
            embedded.remove("name");
            distributed.keySet().removeAll(DEPLOYMENT_SPECIFIC);
            embedded.keySet().removeAll(DEPLOYMENT_SPECIFIC);
            assertThat(distributed).as(name).isEqualTo(embedded);
        }
    }

    @Test
    void shouldReadCommittedRecordsUpsertIntoMigrationOwnedTablesAndRouteFailuresToTheSinkDlq() {
        for (String name : SinkConnectorConfigs.ALL) {
            Map<String, String> config = SinkConnectorConfigs.load(name);
            assertThat(config).as(name)
                    .containsEntry("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector")
                    .containsEntry("insert.mode", "upsert")
                    .containsEntry("schema.evolution", "none")
                    .containsEntry("key.converter", "org.apache.kafka.connect.storage.StringConverter")
                    .containsEntry("value.converter", "dev.tokenledger.serde.ConfluentAvroConverter")
                    .containsEntry("consumer.override.isolation.level", "read_committed")
                    .containsEntry("errors.tolerance", "all")
                    .containsEntry("errors.deadletterqueue.topic.name", "llm.sink.dlq.v1")
                    .containsEntry("errors.deadletterqueue.context.headers.enable", "true");
        }
        assertThat(SinkConnectorConfigs.load(SinkConnectorConfigs.ROLLUPS))
                .containsEntry("collection.name.format", "llm_rollups")
                .containsEntry("primary.key.mode", "record_value")
                .containsEntry("primary.key.fields",
                        "granularity,window_start,team,feature,customer_id,environment,provider,model");
        assertThat(SinkConnectorConfigs.load(SinkConnectorConfigs.TASK_RESULTS))
                .containsEntry("topics", "llm.task-results.v1")
                .containsEntry("collection.name.format", "llm_task_results")
                .containsEntry("primary.key.mode", "record_value")
                .containsEntry("primary.key.fields", "task_id");
        assertThat(SinkConnectorConfigs.load(SinkConnectorConfigs.TASK_UNTASKED))
                .containsEntry("topics", "llm.task-untasked.v1")
                .containsEntry("collection.name.format", "llm_task_untasked")
                .containsEntry("primary.key.mode", "record_value")
                .containsEntry("primary.key.fields", "feature,day,partition");
    }

    @Test
    void shouldPointASinkAtTheGivenWarehouseAndRegistry() {
        Map<String, String> config = SinkConnectorConfigs.sink(SinkConnectorConfigs.PRICED_USAGE,
                "jdbc:postgresql://db:5432/ledger", "ledger", "secret", "http://registry:8081");
        assertThat(config)
                .containsEntry("name", "llm-usage-priced-sink")
                .containsEntry("topics", "llm.usage.priced.v1")
                .containsEntry("connection.url", "jdbc:postgresql://db:5432/ledger")
                .containsEntry("connection.username", "ledger")
                .containsEntry("connection.password", "secret")
                .containsEntry("value.converter.schema.registry.url", "http://registry:8081");
    }

    @Test
    void shouldNameEveryTableTheSinksWriteFromTheirConfigurations() {
        assertThat(SinkConnectorConfigs.tables()).containsExactly("llm_rollups", "llm_usage_priced", "llm_ownership",
                "llm_budgets", "llm_budget_status", "llm_alerts_budget", "llm_task_results", "llm_task_untasked", "llm_alerts_anomaly",
                "llm_reconciliation", "llm_alerts_reconciliation");
    }

    @Test
    void shouldPointASinkAtRenamedTopicsAndRefuseATopicItCannotRename() {
        Map<String, String> shipped = SinkConnectorConfigs.load(SinkConnectorConfigs.ROLLUPS);
        Map<String, String> renamed = SinkConnectorConfigs.withTopics(shipped,
                Map.of("llm.rollups.v1", "acme.rollups", "llm.sink.dlq.v1", "acme.sink.dlq"));
        assertThat(renamed).containsEntry("topics", "acme.rollups")
                .containsEntry("errors.deadletterqueue.topic.name", "acme.sink.dlq");
        Map<String, String> rest = new TreeMap<>(renamed);
        Map<String, String> before = new TreeMap<>(shipped);
        SinkConnectorConfigs.TOPIC_KEYS.forEach(k -> {
            rest.remove(k);
            before.remove(k);
        });
        assertThat(rest).isEqualTo(before);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SinkConnectorConfigs.withTopics(shipped, Map.of("llm.rollups.v1", "acme.rollups")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llm-rollups-sink").hasMessageContaining("llm.sink.dlq.v1");
    }
}
