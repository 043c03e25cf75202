package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.ingest.AdaptedEvent;
import dev.tokenledger.ingest.AdapterResult;
import dev.tokenledger.ingest.InputFormat;
import dev.tokenledger.ingest.IngestPublisher;
import dev.tokenledger.ingest.Reject;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tokenledger ingest}: a backfill file in any input format, published to a cluster's usage topic, rejects to its DLQ. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Read a file through its --input-format adapter and publish the usage events to llm.usage.v1",
                "(Avro, keyed by request_id, idempotent producer, every record acknowledged) and each rejected",
                "record to llm.usage.dlq.v1 with its reason and locator (stage 'ingest'). docs/ingest.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every record published (or ignored on purpose)",
                "1:some records rejected (on the DLQ and listed; the rest published), or publishing failed",
                "2:usage error or unreadable input"})
public final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input-format", paramLabel = "FORMAT",
            description = {"native (default), otlp-json, otlp-proto, litellm, helicone, portkey, cloudevents,",
                    "openai-usage, anthropic-usage, bedrock-usage."})
    String inputFormat;

    @Option(names = "--attribution-keys", paramLabel = "FILE",
            description = "Properties FORMAT.TARGET=source,fields naming the team, feature, ... (docs/ingest.md).")
    Path attributionKeys;

    @Option(names = "--dry-run", description = "Adapt and list rejects only; publish nothing.")
    boolean dryRun;

    @Parameters(index = "0", paramLabel = "FILE|-", description = "The backfill file; '-' reads standard input.")
    String file;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InputFormat format;
        AdapterResult adapted;
        try {
            format = AdaptedInput.format(inputFormat);
            adapted = AdaptedInput.read(format, file, AdaptedInput.keys(attributionKeys));
        } catch (AdaptedInput.BadOption e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        out.printf("tokenledger | %s: %,d events, %,d rejected, %,d ignored (%s)%n", file, adapted.events().size(),
                adapted.rejects().size(), adapted.ignored(), format.cliName());
        out.flush();
        AdaptedInput.printRejects(adapted, format, err);
        if (dryRun) {
            out.println("tokenledger | dry run, nothing published");
            out.flush();
            return adapted.rejects().isEmpty() ? 0 : 1;
        }
        TokenLedgerConfig config = configOptions.resolve();
        Topics topics = new Topics(config, SchemaRegistries.fromUrl(config.get(TokenLedgerConfig.SCHEMA_REGISTRY_URL)));
        long total = adapted.events().size() + adapted.rejects().size();
        try (IngestPublisher publisher = new IngestPublisher(config.kafkaProperties(), topics)) {
            long step = Math.max(1, total / 10);
            for (AdaptedEvent e : adapted.events()) {
                publisher.event(e.event());
                progress(out, publisher, total, step);
            }
            for (Reject r : adapted.rejects()) {
                publisher.reject(r, format, file);
                progress(out, publisher, total, step);
            }
            publisher.flush();
            out.printf("tokenledger | published %,d events to %s and %,d rejects to %s; %,d acknowledged%n",
                    adapted.events().size(), topics.usageAvro.name(), adapted.rejects().size(), topics.dlq.name(),
                    publisher.acknowledged());
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
        }
        return adapted.rejects().isEmpty() ? 0 : 1;
    }

    private static void progress(PrintWriter out, IngestPublisher publisher, long total, long step) {
        long sent = publisher.sent();
        if (sent % step == 0 && sent < total) {
            out.printf("tokenledger | sent %,d of %,d (%d%%), %,d acknowledged%n", sent, total, sent * 100 / total, publisher.acknowledged());
            out.flush();
        }
    }
}
