package dev.tokenledger.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A tokenledger.topic.<name> override reaches the sink connectors the demo starts, not only the topology. */
class SinkTopicOverridesTest {

    @Test
    void shouldPointEverySinkAtTheOverriddenTopics() {
        String url = "mem://sink-topics-" + UUID.randomUUID();
        TokenLedgerConfig config = TokenLedgerConfig.of(Map.of(
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, url,
                TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092",
                "tokenledger.topic.rollups", "acme.rollups",
                "tokenledger.topic.budget-status", "acme.budget-status",
                "tokenledger.topic.sink-dlq", "acme.sink.dlq"));
        Topics topics = new Topics(config, SchemaRegistries.fromUrl(url));
        List<String> created = new java.util.ArrayList<>(topics.inputNames());
        created.addAll(topics.outputNames());
        created.addAll(topics.extraOutputNames());

        for (String name : SinkConnectorConfigs.ALL) {
            // As DemoCommand.startSinks builds them.
            Map<String, String> sink = SinkConnectorConfigs.withTopics(
                    SinkConnectorConfigs.sink(name, "jdbc:postgresql://unused/db", "u", "", url), topics.byShippedName());
            assertThat(List.of(sink.get("topics").split(","))).as(name).isSubsetOf(created);
            assertThat(sink.get("errors.deadletterqueue.topic.name")).as(name).isEqualTo("acme.sink.dlq");
        }
        assertThat(SinkConnectorConfigs.withTopics(SinkConnectorConfigs.load(SinkConnectorConfigs.ROLLUPS),
                topics.byShippedName())).containsEntry("topics", "acme.rollups");
        assertThat(SinkConnectorConfigs.withTopics(SinkConnectorConfigs.load(SinkConnectorConfigs.BUDGET_STATUS),
                topics.byShippedName())).containsEntry("topics", "acme.budget-status");
    }
}
