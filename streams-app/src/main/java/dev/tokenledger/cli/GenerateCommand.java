package dev.tokenledger.cli;

import dev.tokenledger.generator.GeneratedRecord;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.InvoicePlan;
import dev.tokenledger.generator.InvoiceSet;
import dev.tokenledger.generator.InvoiceSynthesizer;
import dev.tokenledger.generator.PlantedVariance;
import dev.tokenledger.generator.TaskOutcomeSimulator;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.task.TaskOutcomeJson;
import dev.tokenledger.validate.UsageEventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger generate}: a month of gateway traffic as JSON Lines, the way a backfill
 * arrives: duplicates anywhere, bad lines, and (with {@code --shuffle}) no order at all. Feed it to
 * {@code demo --events} or a producer to check that nothing is lost or doubled. With {@code --invoices}, also the
 * providers' invoices for that traffic, with planted causes of variance (docs/reconciliation.md#demo-invoices).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write a month of generated usage events as JSON Lines (events spread over the month).",
                "Example: tokenledger generate --month 2026-10 --count 20000 --duplicates 0.02 --bad 0.005 --shuffle > october.jsonl",
                "With --invoices DIR, also the providers' invoices for the traffic, with planted causes of variance:",
                "  tokenledger generate --month last -o last-month.jsonl --invoices invoices/ --plant stale_price,missing_events",
                "With --outcomes FILE, also the business outcomes of the tasks those calls worked on (JSON Lines, for demo --outcomes)."})
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--month", paramLabel = "YYYY-MM", required = true,
            description = "The UTC month the events fall in; 'last' for the month before this one.")
    String month;

    @Option(names = "--count", paramLabel = "N", defaultValue = "20000", description = "Lines to write (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--duplicates", paramLabel = "SHARE", defaultValue = "0.02",
            description = "Share of lines that re-publish an earlier event (default: ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--bad", paramLabel = "SHARE", defaultValue = "0.005",
            description = "Share of lines that are malformed or invalid (default: ${DEFAULT-VALUE}).")
    double bad;

    @Option(names = "--shuffle", description = "Write the lines in random order, duplicates anywhere (a backfill with no order).")
    boolean shuffle;

    @Option(names = "--seed", defaultValue = "42", description = "Same seed, same file (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--invoices", paramLabel = "DIR",
            description = "Also write the providers' invoices for the traffic (OpenAI, Anthropic, AWS and Google Cloud"
                    + " FOCUS) and planted-causes.json here.")
    Path invoices;

    @Option(names = "--plant", paramLabel = "CAUSES",
            description = "Causes of variance planted in the invoices: none, all, or some of stale_price,missing_events,"
                    + "cache_misclassification,alias_rerouting (default: all). missing_events withholds events from the"
                    + " event output.")
    String plant;

    @Option(names = "--pricebook", paramLabel = "FILE",
            description = "Price the invoices with this book (default: the shipped one); use the book the pipeline prices with.")
    Path pricebook;
    @Option(names = "--outcomes", paramLabel = "FILE",
            description = "Also write the tasks' outcomes (llm.task-outcomes.json.v1 lines) here; shuffled too with --shuffle.")
    Path outcomes;

    @Override
    public Integer call() throws IOException {
        YearMonth ym;
        try {
            ym = month.equals("last") ? YearMonth.now(ZoneOffset.UTC).minusMonths(1) : YearMonth.parse(month);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--month must be YYYY-MM or last, got " + month);
        }
        if (invoices == null && (plant != null || pricebook != null)) {
            throw new ParameterException(spec.commandLine(), "--plant and --pricebook go with --invoices DIR");
        }
        InvoiceSynthesizer synthesizer = invoices == null ? null : synthesizer(ym);
        if (count <= 0) {
            throw new ParameterException(spec.commandLine(), "--count must be positive");
        }
        Instant start = ym.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long seconds = ym.lengthOfMonth() * 86_400L;
        GeneratorOptions options;
        try {
            options = GeneratorOptions.defaults(seed, start)
                    .withEventsPerSecondOfEventTime((double) count / seconds)
                    .withDuplicateRate(duplicates)
                    .withMalformedRate(bad);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TrafficGenerator generator = new TrafficGenerator(options);
        TaskOutcomeSimulator product = new TaskOutcomeSimulator(options);
        List<String> outcomeLines = new ArrayList<>();
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            GeneratedRecord record = generator.nextRecord();
            if (synthesizer != null && !synthesizer.accept(record)) {
                continue;
            }
            if (record instanceof GeneratedRecord.Event e) {
                product.observe(e.event()).forEach(o -> outcomeLines.add(TaskOutcomeJson.toJson(o)));
            }
            byte[] bytes = record instanceof GeneratedRecord.Event e ? UsageEventJson.toBytes(e.event())
                    : ((GeneratedRecord.Malformed) record).payload();
            // One record per line: a bad payload with a line break in it would count as two.
            lines.add(new String(bytes, StandardCharsets.UTF_8).replace('\n', ' ').replace('\r', ' '));
        }
        product.finish().forEach(o -> outcomeLines.add(TaskOutcomeJson.toJson(o)));
        if (shuffle) {
            Collections.shuffle(lines, new Random(seed));
            Collections.shuffle(outcomeLines, new Random(seed + 1));
        }
        try (Writer w = out == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            write(w, lines);
        }
        if (outcomes != null) {
            try (Writer w = Files.newBufferedWriter(outcomes, StandardCharsets.UTF_8)) {
                write(w, outcomeLines);
            }
        }
        if (synthesizer != null) {
            InvoiceSet set = synthesizer.finish();
            set.writeTo(invoices);
            // The events may be on standard output: say what was written on the error stream then.
            report(set, lines.size(), out == null ? spec.commandLine().getErr() : spec.commandLine().getOut());
        }
        return 0;
    }

    private InvoiceSynthesizer synthesizer(YearMonth ym) {
        PriceBook book;
        try {
            book = pricebook == null ? PriceBooks.loadDefault() : PriceBooks.load(pricebook);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--pricebook " + pricebook + ": " + e.getMessage());
        }
        try {
            InvoicePlan plan = InvoicePlan.select(plant == null ? "all" : plant, InvoicePlan.defaults(ym));
            return InvoiceSynthesizer.forMonth(ym, book, plan);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--plant: " + e.getMessage());
        }
    }

    private void report(InvoiceSet set, int eventLines, PrintWriter w) {
        InvoiceSynthesizer.Stats stats = set.stats();
        w.println(eventLines + " lines of events written to " + (out == null ? "standard output" : out)
                + (stats.withheldRecords() > 0 ? "; " + stats.withheldRecords() + " records withheld (missing_events: "
                + stats.withheld() + " billed calls and their re-publications)" : ""));
        w.println("invoices for " + set.month() + " in " + invoices + " (" + stats.billed() + " calls billed):");
        for (Map.Entry<String, Integer> f : set.lineCounts().entrySet()) {
            String provider = set.invoicedUsd().keySet().stream()
                    .filter(p -> f.getKey().equals(InvoiceSet.fileFor(p, set.month()))).findFirst().orElseThrow();
            w.println("  " + f.getKey() + ": " + f.getValue() + " lines, " + provider + " invoiced "
                    + set.invoicedUsd().get(provider).toPlainString() + " USD");
        }
        w.println("  " + InvoiceSet.MANIFEST + ": " + set.manifest().size() + " planted causes");
        for (PlantedVariance p : set.manifest()) {
            w.println("    " + p.cause() + ": " + p.varianceUsd().toPlainString() + " USD, " + p.description());
        }
        w.flush();
    }

    private static void write(Writer w, List<String> lines) throws IOException {
        for (String line : lines) {
            w.write(line);
            w.write('\n');
        }
    }
}
