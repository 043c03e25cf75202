package dev.tokenledger.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.money.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The invoices {@link InvoiceSynthesizer} wrote for a month, by file name: one file per provider format (written
 * even when a provider had no traffic, as an export of a quiet month is) and the manifest {@value #MANIFEST}.
 */
public final class InvoiceSet {

    public static final String MANIFEST = "planted-causes.json";
    /** The AWS account and the Google Cloud project and billing account the demo company's cloud traffic runs in. */
    static final String AWS_ACCOUNT = "123456789012";
    static final String GCP_PROJECT = "acme-ai-prod";
    static final String GCP_BILLING_ACCOUNT = "01A2B3-C4D5E6-F7A8B9";

    private final YearMonth month;
    private final Map<String, String> files;
    private final Map<String, Integer> lineCounts;
    private final Map<String, BigDecimal> invoicedUsd;
    private final List<PlantedVariance> manifest;
    private final List<BillCell> bill;
    private final InvoiceSynthesizer.Stats stats;

    private InvoiceSet(YearMonth month, Map<String, String> files, Map<String, Integer> lineCounts,
                       Map<String, BigDecimal> invoicedUsd, List<PlantedVariance> manifest, List<BillCell> bill,
                       InvoiceSynthesizer.Stats stats) {
        this.month = month;
        this.files = Collections.unmodifiableMap(files);
        this.lineCounts = Collections.unmodifiableMap(lineCounts);
        this.invoicedUsd = Collections.unmodifiableMap(invoicedUsd);
        this.manifest = List.copyOf(manifest);
        this.bill = List.copyOf(bill);
        this.stats = stats;
    }

    static InvoiceSet render(YearMonth month, List<BilledLine> lines, List<PlantedVariance> manifest, List<BillCell> bill,
                             InvoiceSynthesizer.Stats stats) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        for (InvoiceShape shape : InvoiceShape.values()) {
            List<BilledLine> billed = new ArrayList<>();
            Money total = Money.ZERO;
            for (BilledLine line : lines) {
                if (line.key.provider().equals(shape.provider) && line.billed()) {
                    billed.add(line);
                    total = total.plus(Money.of(InvoiceWriters.amount(line, shape)));
                }
            }
            InvoiceWriters.Rendered r = switch (shape) {
                case OPENAI -> InvoiceWriters.openAi(month, billed);
                case ANTHROPIC -> InvoiceWriters.anthropic(month, billed);
                default -> InvoiceWriters.focus(month, billed, shape);
            };
            files.put(shape.fileName(month), r.text());
            counts.put(shape.fileName(month), r.lines());
            totals.put(shape.provider, total.toBigDecimal());
        }
        files.put(MANIFEST, manifestJson(month, manifest, totals, stats));
        return new InvoiceSet(month, files, counts, totals, manifest, bill, stats);
    }

    public YearMonth month() {
        return month;
    }

    /** File name to content, invoices first (OpenAI, Anthropic, AWS, Google Cloud), then the manifest. */
    public Map<String, String> files() {
        return files;
    }

    /** Invoice lines (results, rows) per invoice file. */
    public Map<String, Integer> lineCounts() {
        return lineCounts;
    }

    /** What each provider's invoice bills, exactly: the sum of its lines as written. */
    public Map<String, BigDecimal> invoicedUsd() {
        return invoicedUsd;
    }

    /** The invoice file that bills a provider's traffic, or null when none does. */
    public static String fileFor(String provider, YearMonth month) {
        InvoiceShape shape = InvoiceShape.of(provider);
        return shape == null ? null : shape.fileName(month);
    }

    /** The planted causes, in the plan's order, with what each adds to the variance. */
    public List<PlantedVariance> manifest() {
        return manifest;
    }

    /** The true bill: every billed call's cost as the cost engine derives it, withheld calls included. */
    public List<BillCell> bill() {
        return bill;
    }

    public InvoiceSynthesizer.Stats stats() {
        return stats;
    }

    /** Writes every file into {@code dir} (created if missing); the paths written, in order. */
    public List<Path> writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            List<Path> written = new ArrayList<>();
            for (Map.Entry<String, String> f : files.entrySet()) {
                written.add(Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8));
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the invoices to " + dir, e);
        }
    }

    /** The manifest as JSON; amounts are strings, so they stay exact. */
    private static String manifestJson(YearMonth month, List<PlantedVariance> manifest, Map<String, BigDecimal> totals,
                                       InvoiceSynthesizer.Stats stats) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        root.put("month", month.toString());
        root.put("variance", "invoiced_usd - derived_usd, per (provider, day, price-book model, charge class) as the"
                + " invoice readers read the lines");
        ObjectNode invoices = root.putObject("invoices");
        totals.forEach((provider, total) -> invoices.putObject(provider).put("file", fileFor(provider, month))
                .put("invoiced_usd", total.toPlainString()));
        ArrayNode folding = root.putArray("billed_as");
        for (InvoiceShape shape : InvoiceShape.values()) {
            if (!shape.reasoningLines) {
                folding.addObject().put("provider", shape.provider).put("charge_class", "reasoning")
                        .put("billed_as", "output");
            }
        }
        ObjectNode calls = root.putObject("calls");
        calls.put("billed", stats.billed()).put("withheld", stats.withheld()).put("duplicates", stats.duplicates())
                .put("invalid", stats.invalid()).put("unpriced", stats.unpriced()).put("outside_month", stats.outsideMonth())
                .put("no_invoice", stats.noInvoice());
        ArrayNode causes = root.putArray("causes");
        for (PlantedVariance p : manifest) {
            ObjectNode c = causes.addObject();
            c.put("cause", p.cause()).put("provider", p.provider());
            p.models().forEach(c.putArray("models")::add);
            p.chargeClasses().forEach(c.putArray("charge_classes")::add);
            ArrayNode days = c.putArray("days");
            p.days().forEach(d -> days.add(d.toString()));
            c.put("variance_usd", p.varianceUsd().toPlainString())
                    .put("exact_variance_usd", p.exactVarianceUsd().toPlainString())
                    .put("description", p.description());
            ObjectNode details = c.putObject("details");
            p.details().forEach(details::put);
            ArrayNode cells = c.putArray("cells");
            for (PlantedVariance.Cell cell : p.cells()) {
                cells.addObject().put("day", cell.day().toString()).put("model", cell.model())
                        .put("charge_class", cell.chargeClass()).put("variance_usd", cell.varianceUsd().toPlainString())
                        .put("exact_variance_usd", cell.exactVarianceUsd().toPlainString());
            }
        }
        try {
            return InvoiceWriters.JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
