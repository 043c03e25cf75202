package dev.tokenledger.cli;

import static dev.tokenledger.testing.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.metrics.PipelineMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tokenledger reset} against the embedded broker after the pipeline has run. */
class ResetCommandIT {

    static final String APP = "reset-it";

    @Test
    void shouldListOnADryRunAndDeleteInternalTopicsOffsetsAndStateWithYes(@TempDir Path dir) throws Exception {
        // A short session: a closed Streams client does not leave its group, the broker expires it.
        try (EmbeddedStack stack = EmbeddedStack.start(dir, Map.of("application.id", APP, "commit.interval.ms", "200",
                "session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"), PipelineMetrics.inMemory(), msg -> { });
             Admin admin = stack.admin()) {
            stack.startPipeline(msg -> { });
            try (UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics())) {
                for (int i = 0; i < 20; i++) {
                    producer.sendAvro(event("reset-" + i, Instant.now().minusSeconds(60)).build());
                }
            }
            TopicPartition usage0 = new TopicPartition(stack.topics().usageAvro.name(), 0);
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(admin).keySet().stream()
                    .anyMatch(tp -> tp.topic().equals(usage0.topic())));
            Path stateDir = dir.resolve("streams");
            String[] common = {"--bootstrap-servers", stack.bootstrapServers(), "--set", "application.id=" + APP,
                    "--state-dir", stateDir.toString()};

            Result running = reset(common, "--dry-run");
            assertThat(running.exit).as(running.err).isEqualTo(1);
            assertThat(running.err).contains("stop every instance first");

            stack.stopPipeline();
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of(APP)).all().get()
                    .get(APP).members().isEmpty());
            Set<String> internal = internalTopics(admin);
            assertThat(internal).contains(APP + "-dedupe-store-changelog", APP + "-usage-by-request-id-repartition",
                    APP + "-govern-spend-by-scope-repartition");

            Result dry = reset(common, "--dry-run");
            assertThat(dry.exit).as(dry.err).isZero();
            assertThat(dry.out).contains(APP + "-dedupe-store-changelog").contains(usage0.topic())
                    .contains(stateDir.resolve(APP).toString()).contains("dry run: nothing deleted");
            assertThat(internalTopics(admin)).isEqualTo(internal);
            assertThat(committed(admin)).isNotEmpty();
            assertThat(stateDir.resolve(APP)).isDirectory();

            Result refused = reset(common);
            assertThat(refused.exit).isEqualTo(2);
            assertThat(refused.err).contains("give --yes");
            assertThat(internalTopics(admin)).isEqualTo(internal);

            Result done = reset(common, "--yes");
            assertThat(done.exit).as(done.out + done.err).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> internalTopics(admin).isEmpty());
            assertThat(admin.listTopics().names().get()).contains(usage0.topic()); // inputs are kept
            assertThat(committed(admin)).isEmpty();
            assertThat(Files.exists(stateDir.resolve(APP))).isFalse();

            Result again = reset(common, "--dry-run");
            assertThat(again.out).contains("nothing to reset");
        }
    }

    private static Set<String> internalTopics(Admin admin) throws Exception {
        Set<String> names = new java.util.TreeSet<>(admin.listTopics().names().get());
        names.removeIf(t -> !t.startsWith(APP + "-"));
        return names;
    }

    private static Map<TopicPartition, ?> committed(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(APP).partitionsToOffsetAndMetadata().get();
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result reset(String[] common, String... more) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TokenLedger()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] args = new String[common.length + more.length + 1];
        args[0] = "reset";
        System.arraycopy(common, 0, args, 1, common.length);
        System.arraycopy(more, 0, args, 1 + common.length, more.length);
        return new Result(cli.execute(args), out.toString(), err.toString());
    }
}
