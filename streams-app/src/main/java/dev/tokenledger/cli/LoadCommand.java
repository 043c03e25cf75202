package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.topology.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tokenledger load}: validates a reference-data file and publishes it to its compacted topic. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Validate reference data and publish it: pricebook -> llm.pricebook.v1,",
                "ownership -> llm.ownership.v1, budgets -> llm.budgets.v1 (latest value per key wins).",
                "Nothing is published when any row is invalid; every error names its line and field."})
public final class LoadCommand implements Callable<Integer> {

    enum Kind { pricebook, ownership, budgets }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "One of: ${COMPLETION-CANDIDATES}.")
    Kind kind;

    @Parameters(index = "1", paramLabel = "FILE", description = "Price book (LiteLLM JSON or native YAML), or a CSV file.")
    Path file;

    @Option(names = "--effective-from", paramLabel = "RFC3339_TIME",
            description = "For a price book whose entries carry no date (LiteLLM): when they take effect. Default: the beginning of time.")
    String effectiveFrom;

    @Option(names = "--dry-run", description = "Validate only; publish nothing.")
    boolean dryRun;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant effective = null;
        if (effectiveFrom != null) {
            try {
                effective = OffsetDateTime.parse(effectiveFrom).toInstant();
            } catch (RuntimeException e) {
                err.println("error: --effective-from must be an RFC 3339 time, got '" + effectiveFrom + "'");
                return 2;
            }
        }
        ReferenceData.Loaded data;
        try {
            data = switch (kind) {
                case pricebook -> ReferenceData.pricebookOnly(file, effective);
                case ownership -> ReferenceData.ownershipOnly(file);
                case budgets -> ReferenceData.budgetsOnly(file);
            };
        } catch (ReferenceData.InvalidReferenceData e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        if (dryRun) {
            out.println("tokenledger | " + file + ": " + data.describe() + " valid (dry run, nothing published)");
            return 0;
        }
        TokenLedgerConfig config = configOptions.resolve();
        Topics topics = new Topics(config, SchemaRegistries.fromUrl(config.get(TokenLedgerConfig.SCHEMA_REGISTRY_URL)));
        data.publish(config.get(TokenLedgerConfig.BOOTSTRAP_SERVERS), topics, msg -> out.println("tokenledger | " + msg));
        out.flush();
        return 0;
    }
}
