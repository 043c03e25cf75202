package dev.tokenledger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topic plan on a real broker: append-time stamps everywhere, and the co-partitioning the dedupe stage relies on. */
class TopicSetupIT {

    @Test
    void shouldCreateAppendTimeTopicsAndRefuseUsageInputsOfDifferentWidths(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Topics topics = new Topics(TokenLedgerConfig.of(Map.of()), SchemaRegistries.fromUrl("mem://topic-setup-it"));
            TopicSetup.ensure(admin, TopicSetup.plan(topics, 3, (short) 1));

            for (String name : List.of(topics.usageAvro.name(), topics.priced.name(), topics.rollups.name(), topics.pricebook.name())) {
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
                assertThat(admin.describeConfigs(List.of(r)).all().get().get(r).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value())
                        .as(name).isEqualTo("LogAppendTime");
            }
            assertThat(TopicSetup.coPartitioningProblem(admin, topics)).isEmpty();

            Topics wider = new Topics(TokenLedgerConfig.of(Map.of("tokenledger.topic.usage-json", "wider.usage.json")),
                    SchemaRegistries.fromUrl("mem://topic-setup-it"));
            admin.createTopics(List.of(new NewTopic("wider.usage.json", 4, (short) 1))).all().get();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TopicSetup.coPartitioningProblem(admin, wider))
                    .hasValueSatisfying(p -> assertThat(p).contains("llm.usage.v1 has 3 partitions").contains("wider.usage.json has 4")));
        }
    }
}
