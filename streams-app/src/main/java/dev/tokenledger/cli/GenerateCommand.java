package dev.tokenledger.cli;

import dev.tokenledger.generator.GeneratedRecord;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TaskOutcomeSimulator;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.task.TaskOutcomeJson;
import dev.tokenledger.validate.UsageEventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
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
 * {@code demo --events} or a producer to check that nothing is lost or doubled.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write a month of generated usage events as JSON Lines (events spread over the month).",
                "Example: tokenledger generate --month 2026-10 --count 20000 --duplicates 0.02 --bad 0.005 --shuffle > october.jsonl",
                "With --outcomes FILE, also the business outcomes of the tasks those calls worked on (JSON Lines, for demo --outcomes)."})
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--month", paramLabel = "YYYY-MM", required = true, description = "The UTC month the events fall in.")
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

    @Option(names = "--outcomes", paramLabel = "FILE",
            description = "Also write the tasks' outcomes (llm.task-outcomes.json.v1 lines) here; shuffled too with --shuffle.")
    Path outcomes;

    @Override
    public Integer call() throws IOException {
        YearMonth ym;
        try {
            ym = YearMonth.parse(month);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--month must be YYYY-MM, got " + month);
        }
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
        return 0;
    }

    private static void write(Writer w, List<String> lines) throws IOException {
        for (String line : lines) {
            w.write(line);
            w.write('\n');
        }
    }
}
