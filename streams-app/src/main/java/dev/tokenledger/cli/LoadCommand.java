package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.invoice.InvoiceFormat;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.runtime.ClientProperties;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.warehouse.RevenueCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger load}: validates a reference-data file and publishes it to its compacted topic, or, for finance's
 * revenue, upserts it into the warehouse.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Validate reference data and publish it to its compacted topic",
                "(latest value per key wins): pricebook -> llm.pricebook.v1,",
                "ownership -> llm.ownership.v1, budgets -> llm.budgets.v1,",
                "invoice (OpenAI Costs API JSON, Anthropic cost report JSON, FOCUS CSV;",
                "one or more files) -> llm.invoices.v1 keyed by line identity.",
                "revenue (CSV feature,month,revenue_usd) is upserted into the warehouse's",
                "feature_revenue table: --jdbc-url, else the embedded one in --data-dir.",
                "allocation (YAML rules, docs/statements.md) replaces the warehouse's",
                "allocation_rules, checked against its ownership registry.",
                "Nothing is loaded when any row is invalid; every error names its line and field."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:loaded (or valid, with --dry-run)",
                "1:invalid or unreadable file (nothing loaded); for revenue also: no warehouse, or it failed",
                "2:usage error (bad --effective-from, --format or --jdbc-url; several files for a kind that takes one)"})
public final class LoadCommand implements Callable<Integer> {

    enum Kind { pricebook, ownership, budgets, revenue, invoice, allocation }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "One of: ${COMPLETION-CANDIDATES}.")
    Kind kind;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE",
            description = "Price book (LiteLLM JSON or native YAML), or a CSV file; for invoice, one or more invoice files.")
    List<Path> files;

    @Option(names = "--format", paramLabel = "openai|anthropic|focus",
            description = "invoice: read every file in this format instead of detecting it.")
    String format;

    @Option(names = "--model-overrides", paramLabel = "FILE",
            description = "invoice: CSV provider,billed_model,model mapping billed models no rule maps.")
    Path modelOverrides;

    @Option(names = "--pricebook", paramLabel = "FILE",
            description = "invoice: the price book billed models map onto. Default: the shipped one.")
    Path pricebook;

    /** The one file of the kinds that take one. */
    private Path file;

    @Option(names = "--effective-from", paramLabel = "RFC3339_TIME",
            description = "For a price book whose entries carry no date (LiteLLM): when they take effect. Default: the beginning of time.")
    String effectiveFrom;

    @Option(names = "--dry-run", description = "Validate only; publish nothing.")
    boolean dryRun;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    WarehouseOptions warehouse;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (kind == Kind.invoice) {
            return loadInvoices(out, err);
        }
        if (files.size() != 1) {
            err.println("error: load " + kind + " takes one FILE, got " + files.size());
            return 2;
        }
        file = files.get(0);
        if (kind == Kind.revenue) {
            return loadRevenue(out, err);
        }
        if (kind == Kind.allocation) {
            return AllocationLoad.load(file, dryRun, warehouse, out, err);
        }
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
                case revenue, invoice, allocation -> throw new IllegalStateException(kind + " is loaded on its own path");
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
        Topics topics = new Topics(config, SchemaRegistries.fromConfig(config.asMap()));
        data.publish(ClientProperties.producer(config), topics, msg -> out.println("tokenledger | " + msg));
        out.flush();
        return 0;
    }

    /** Invoice files: every one read and valid before any line is published. */
    private int loadInvoices(PrintWriter out, PrintWriter err) {
        InvoiceFormat forced;
        try {
            forced = format == null ? null : InvoiceFormat.named(format);
        } catch (IllegalArgumentException e) {
            err.println("error: --format: " + e.getMessage());
            return 2;
        }
        InvoiceLoad.Loaded loaded;
        try {
            loaded = InvoiceLoad.read(files, forced, modelOverrides, pricebook);
        } catch (ReferenceData.InvalidReferenceData e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        loaded.describe().forEach(line -> out.println("tokenledger | " + line));
        if (dryRun) {
            out.println("tokenledger | " + loaded.lineCount() + " invoice lines valid (dry run, nothing published)");
            out.flush();
            return 0;
        }
        TokenLedgerConfig config = configOptions.resolve();
        Topics topics = new Topics(config, SchemaRegistries.fromConfig(config.asMap()));
        ReferenceDataPublisher.publish(ClientProperties.producer(config), topics.invoices, loaded.records());
        out.println("tokenledger | published " + loaded.lineCount() + " invoice lines to " + topics.invoices.name());
        out.flush();
        return 0;
    }

    /** Finance's revenue per feature and month: validated first, so a bad file never needs a warehouse. */
    private int loadRevenue(PrintWriter out, PrintWriter err) {
        String csv;
        RevenueCsv.Parsed parsed;
        try {
            csv = Files.readString(file, StandardCharsets.UTF_8);
            parsed = RevenueCsv.parse(new StringReader(csv));
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        if (!parsed.rejections().isEmpty()) {
            printRejections(err, parsed.rejections());
            return 1;
        }
        if (dryRun) {
            out.println("tokenledger | " + file + ": " + parsed.rows().size() + " revenue rows valid (dry run, nothing loaded)");
            out.flush();
            return 0;
        }
        try (WarehouseOptions.OpenWarehouse open = warehouse.open()) {
            RevenueCsv.LoadResult result = RevenueCsv.load(new StringReader(csv), open.dataSource());
            if (!result.ok()) {
                printRejections(err, result.rejections());
                return 1;
            }
            out.println("tokenledger | upserted " + result.loaded().size() + " revenue rows (feature, month) into"
                    + " feature_revenue in " + open.describe());
            out.flush();
            return 0;
        } catch (WarehouseOptions.NoWarehouseException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("error: cannot load revenue into the warehouse: " + WarehouseOptions.describeFailure(e));
            return 1;
        }
    }

    private void printRejections(PrintWriter err, List<RevenueCsv.Rejection> rejections) {
        err.println("error: " + file + " has " + rejections.size() + (rejections.size() == 1 ? " error" : " errors")
                + " (nothing loaded):");
        for (RevenueCsv.Rejection rejection : rejections) {
            err.println("  line " + rejection.line() + ": " + rejection.reason() + ": " + rejection.detail());
        }
        err.flush();
    }
}
