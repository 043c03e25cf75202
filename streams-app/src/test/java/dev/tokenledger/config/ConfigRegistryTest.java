package dev.tokenledger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.govern.GovernSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRegistryTest {

    @TempDir
    Path dir;

    @Test
    void shouldRejectAnUnknownKeyNamingItAndTheNearestKnownKey() {
        assertThatThrownBy(() -> TokenLedgerConfig.of(Map.of("tokenledger.dedupe.retenion", "PT1H")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown configuration key tokenledger.dedupe.retenion; did you mean tokenledger.dedupe.retention?");
        assertThatThrownBy(() -> TokenLedgerConfig.of(Map.of("tokenledger.topic.usage-jsn", "x")))
                .hasMessageContaining("did you mean tokenledger.topic.usage-json?");
        assertThatThrownBy(() -> TokenLedgerConfig.of(Map.of("tokenledger.runtime.close-timout", "PT1S")))
                .hasMessageContaining("did you mean " + TokenLedgerConfig.CLOSE_TIMEOUT + "?");
    }

    @Test
    void shouldRejectUnknownKeysFromEveryLayerButPassKafkaKeysThrough() throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "tokenledger.rollup.emit-intervall=PT2S\n");
        assertThatThrownBy(() -> TokenLedgerConfig.builder().file(file).build())
                .hasMessageContaining("tokenledger.rollup.emit-intervall").hasMessageContaining(TokenLedgerConfig.ROLLUP_EMIT_INTERVAL);
        assertThatThrownBy(() -> TokenLedgerConfig.builder().environment(Map.of("TOKENLEDGER_DEDUPE_WINDOW", "PT1H")).build())
                .hasMessageContaining("tokenledger.dedupe.window");

        TokenLedgerConfig config = TokenLedgerConfig.of(Map.of("commit.interval.ms", "200"));
        assertThat(config.kafkaProperties()).containsEntry("commit.interval.ms", "200");
    }

    @Test
    void shouldRejectNonPositiveAndMalformedDurations() {
        for (String value : new String[] {"PT0S", "-PT1H", "P0D"}) {
            assertThatThrownBy(() -> TokenLedgerConfig.of(Map.of(TokenLedgerConfig.MAX_EVENT_AGE, value)))
                    .as(value).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(TokenLedgerConfig.MAX_EVENT_AGE).hasMessageContaining("positive");
        }
        assertThatThrownBy(() -> TokenLedgerConfig.of(Map.of(TokenLedgerConfig.CLOSE_TIMEOUT, "30s")))
                .hasMessageContaining(TokenLedgerConfig.CLOSE_TIMEOUT).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> TokenLedgerConfig.of(Map.of(TokenLedgerConfig.MAX_THREAD_REPLACEMENTS, "-1")))
                .hasMessageContaining(TokenLedgerConfig.MAX_THREAD_REPLACEMENTS);
        assertThatThrownBy(() -> TokenLedgerConfig.of(Map.of("tokenledger.ceiling.feature.search.agent-run-calls", "many")))
                .hasMessageContaining("tokenledger.ceiling.feature.search.agent-run-calls");
        assertThat(TokenLedgerConfig.of(Map.of(TokenLedgerConfig.DEDUPE_RETENTION, " PT2H ")).duration(TokenLedgerConfig.DEDUPE_RETENTION))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void shouldTrackTheLayerEachValueCameFrom() throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "tokenledger.dedupe.retention=PT12H\nbootstrap.servers=file:9092\n");
        TokenLedgerConfig config = TokenLedgerConfig.builder()
                .file(file)
                .environment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092", "TOKENLEDGER_BUDGET_PARTITIONS", "2"))
                .commandLine(Map.of(GovernSettings.PARTITIONS, "3"))
                .build();

        assertThat(config.source(TokenLedgerConfig.DEDUPE_RETENTION)).isEqualTo("file " + file);
        assertThat(config.source(TokenLedgerConfig.BOOTSTRAP_SERVERS)).isEqualTo("environment");
        assertThat(config.get(TokenLedgerConfig.BOOTSTRAP_SERVERS)).isEqualTo("env:9092");
        assertThat(config.source(GovernSettings.PARTITIONS)).isEqualTo("command line");
        assertThat(config.integer(GovernSettings.PARTITIONS)).isEqualTo(3);
        assertThat(config.source(TokenLedgerConfig.MAX_EVENT_AGE)).isEqualTo("default");
        assertThat(config.get(TokenLedgerConfig.MAX_EVENT_AGE)).isEqualTo("P62D");
        assertThat(config.topic("usage")).isEqualTo("llm.usage.v1");
    }

    @Test
    void shouldMeasureEditDistance() {
        assertThat(ConfigRegistry.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(ConfigRegistry.levenshtein("", "abc")).isEqualTo(3);
        assertThat(ConfigRegistry.levenshtein("same", "same")).isZero();
    }
}
