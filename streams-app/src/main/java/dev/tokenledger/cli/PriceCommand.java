package dev.tokenledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.PriceRef;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.price.PricingResult;
import dev.tokenledger.validate.ParseResult;
import dev.tokenledger.validate.UsageEventJson;
import dev.tokenledger.validate.UsageValidator;
import dev.tokenledger.validate.Violation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tokenledger price}: prices usage events from a file with the cost engine, offline. */
@Command(name = "price", mixinStandardHelpOptions = true,
        description = {"Price usage events (one JSON object, or JSON Lines; or another --input-format) and print one JSON result per event.",
                "Amounts are exact decimal strings in USD at 12 decimal places."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every event was priced", "1:at least one event was invalid (the valid ones are still priced)",
                "2:usage error or unreadable input"})
public final class PriceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pricebook", paramLabel = "FILE",
            description = "Price book: LiteLLM JSON or native YAML (detected). Default: the shipped book.")
    Path pricebook;

    @Option(names = "--at", paramLabel = "RFC3339_TIME",
            description = "Price as of this instant instead of each event's own timestamp, e.g. 2026-11-01T00:00:00Z.")
    String at;

    @Option(names = "--input-format", paramLabel = "FORMAT",
            description = {"The file's format: native (default), otlp-json, otlp-proto, litellm, helicone, portkey,",
                    "cloudevents, openai-usage, anthropic-usage, bedrock-usage (docs/ingest.md)."})
    String inputFormat;

    @Option(names = "--attribution-keys", paramLabel = "FILE",
            description = "Properties FORMAT.TARGET=source,fields naming the team, feature, ... of a foreign format (docs/ingest.md).")
    Path attributionKeys;

    @Parameters(index = "0", arity = "0..1", paramLabel = "EVENTS_FILE|-",
            description = "A JSON event or JSON Lines file; '-' or nothing reads standard input.")
    String input;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant asOf = null;
        if (at != null) {
            try {
                asOf = OffsetDateTime.parse(at).toInstant();
            } catch (RuntimeException e) {
                err.println("error: --at must be an RFC 3339 time such as 2026-11-01T00:00:00Z, got '" + at + "'");
                return 2;
            }
        }
        PriceBook book;
        try {
            book = pricebook == null ? PriceBooks.loadDefault() : PriceBooks.load(pricebook);
        } catch (RuntimeException e) {
            err.println("error: cannot load price book " + (pricebook == null ? "(default)" : pricebook) + ": " + e.getMessage());
            return 2;
        }
        if (inputFormat != null || attributionKeys != null) {
            return priceAdapted(book, asOf, out, err);
        }
        List<String> records;
        try {
            records = readRecords();
        } catch (IOException e) {
            err.println("error: cannot read " + input + ": " + e.getMessage());
            return 2;
        }
        // Offline pricing: any event time is acceptable, so the future-skew check is effectively off.
        UsageValidator validator = new UsageValidator(Duration.ofDays(365L * 1000), null);
        boolean single = records.size() == 1;
        int invalid = 0;
        for (int i = 0; i < records.size(); i++) {
            String text = records.get(i);
            if (text == null) {
                continue;
            }
            String where = single ? "" : "line " + (i + 1) + ": ";
            ParseResult parsed = UsageEventJson.parse(text.getBytes(StandardCharsets.UTF_8));
            List<Violation> violations = parsed.event() == null
                    ? parsed.violations()
                    : validator.validate(parsed.event(), Instant.now());
            if (!violations.isEmpty()) {
                invalid++;
                for (Violation v : violations) {
                    err.println("error: " + where + (v.field() == null ? "" : "field '" + v.field() + "': ")
                            + v.reason() + ": " + v.detail());
                }
                continue;
            }
            UsageEvent event = parsed.event();
            UsageEvent priceAs = asOf == null ? event : UsageEvent.newBuilder(event).setTimestamp(asOf).build();
            out.println(JSON.writeValueAsString(toJson(event, CostEngine.price(priceAs, book))));
        }
        out.flush();
        if (invalid > 0) {
            err.println(invalid + " of " + records.stream().filter(r -> r != null).count() + " events invalid");
            return 1;
        }
        return 0;
    }

    /** A file in a foreign format: adapted first; a reject is an error line with its locator, like an invalid event. */
    private int priceAdapted(PriceBook book, Instant asOf, PrintWriter out, PrintWriter err) throws IOException {
        dev.tokenledger.ingest.InputFormat format;
        dev.tokenledger.ingest.AdapterResult adapted;
        try {
            format = AdaptedInput.format(inputFormat);
            adapted = AdaptedInput.read(format, input, AdaptedInput.keys(attributionKeys));
        } catch (AdaptedInput.BadOption e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: cannot read " + input + ": " + e.getMessage());
            return 2;
        }
        for (dev.tokenledger.ingest.AdaptedEvent adaptedEvent : adapted.events()) {
            UsageEvent event = adaptedEvent.event();
            UsageEvent priceAs = asOf == null ? event : UsageEvent.newBuilder(event).setTimestamp(asOf).build();
            out.println(JSON.writeValueAsString(toJson(event, CostEngine.price(priceAs, book))));
        }
        out.flush();
        AdaptedInput.printRejects(adapted, format, err);
        return adapted.rejects().isEmpty() ? 0 : 1;
    }

    /** One entry per input line (null for blank lines), or a single entry for a one-object document. */
    private List<String> readRecords() throws IOException {
        String all;
        if (input == null || input.equals("-")) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                all = r.lines().reduce(new StringBuilder(), (sb, l) -> sb.append(l).append('\n'), StringBuilder::append).toString();
            }
        } else {
            all = Files.readString(Path.of(input));
        }
        List<String> lines = new ArrayList<>();
        for (String line : all.split("\n", -1)) {
            lines.add(line.isBlank() ? null : line);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1) == null) {
            lines.remove(lines.size() - 1);
        }
        long nonBlank = lines.stream().filter(l -> l != null).count();
        // A pretty-printed single object spans several lines: treat the whole text as one event.
        String first = lines.stream().filter(l -> l != null).findFirst().orElse("");
        if (nonBlank > 1 && !isCompleteObject(first) && isCompleteObject(all)) {
            return List.of(all);
        }
        return lines;
    }

    private static boolean isCompleteObject(String text) {
        try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(text)) {
            return JSON.readTree(p).isObject() && p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    static ObjectNode toJson(UsageEvent event, PricingResult r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("request_id", event.getRequestId());
        node.put("provider", event.getProvider());
        node.put("billed_model", r.billedModel());
        node.put("total_cost_usd", r.total().toPlainString());
        ObjectNode costs = node.putObject("costs");
        costs.put("uncached_input", r.uncachedInput().toPlainString());
        costs.put("cache_read", r.cacheRead().toPlainString());
        costs.put("cache_write", r.cacheWrite().toPlainString());
        costs.put("output", r.output().toPlainString());
        costs.put("reasoning", r.reasoning().toPlainString());
        costs.put("fees", r.fees().toPlainString());
        PriceRef p = r.price();
        if (p == null) {
            node.putNull("price");
        } else {
            ObjectNode price = node.putObject("price");
            price.put("provider", p.getProvider());
            price.put("model", p.getModel());
            if (p.getRegion() == null) price.putNull("region"); else price.put("region", p.getRegion());
            price.put("effective_from", p.getEffectiveFrom().toString());
            price.put("tier", p.getTier());
            price.put("source", p.getSource());
        }
        var flags = node.putArray("flags");
        r.flagNames().forEach(flags::add);
        return node;
    }
}
