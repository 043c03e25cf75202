package dev.tokenledger.invoice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.InvoiceLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads an invoice file in any of the {@link InvoiceFormat}s, told apart by content unless one is forced, into
 * normalised {@link InvoiceLine}s with their model mapped and their identity assigned. All or nothing: a file with
 * any error yields no lines, and the exception lists every error by line or item.
 */
public final class InvoiceReader {

    private final ModelMapper mapper;

    public InvoiceReader(ModelMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code forced} null detects the format. */
    public InvoiceFile read(Path file, InvoiceFormat forced) throws InvalidInvoiceException {
        String name = file.getFileName().toString();
        try {
            return read(name, Files.readString(file, StandardCharsets.UTF_8), forced);
        } catch (IOException e) {
            throw new InvalidInvoiceException(List.of(InvoiceError.inFile(name, "cannot read: " + e.getMessage())));
        }
    }

    public InvoiceFile read(String fileName, String text, InvoiceFormat forced) throws InvalidInvoiceException {
        Problems problems = new Problems(fileName);
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        boolean json = body.stripLeading().startsWith("{") || body.stripLeading().startsWith("[");
        JsonNode root = null;
        if (json && forced != InvoiceFormat.FOCUS) {
            root = InvoiceJson.parse(body, problems);
            problems.throwIfAny();
        }
        InvoiceFormat format = forced != null ? forced : detect(body, root);
        if (format == null) {
            problems.inFile("cannot tell the format: not OpenAI Costs API pages (\"object\": \"page\"), an Anthropic cost"
                    + " report (data buckets with starting_at) or a FOCUS CSV (BilledCost and ChargePeriodStart columns);"
                    + " name it with --format openai|anthropic|focus");
            problems.throwIfAny();
        }
        List<Charge> charges;
        SortedMap<String, Integer> skipped = new TreeMap<>();
        switch (format) {
            case OPENAI -> charges = root == null ? notJson(problems) : OpenAiCosts.read(root, problems);
            case ANTHROPIC -> charges = root == null ? notJson(problems) : AnthropicCostReport.read(root, problems);
            case FOCUS -> {
                FocusCsv.Result result = FocusCsv.read(body, problems);
                charges = result.charges();
                skipped = result.skippedServices();
            }
            default -> throw new IllegalStateException("unknown format " + format);
        }
        problems.throwIfAny();
        return new InvoiceFile(fileName, format, lines(fileName, format, charges), skipped);
    }

    /** The format the content shows, or null when it shows none. */
    private static InvoiceFormat detect(String body, JsonNode root) {
        if (root == null) {
            return FocusCsv.looksLike(body) ? InvoiceFormat.FOCUS : null;
        }
        if (OpenAiCosts.looksLike(root)) {
            return InvoiceFormat.OPENAI;
        }
        return AnthropicCostReport.looksLike(root) ? InvoiceFormat.ANTHROPIC : null;
    }

    private static List<Charge> notJson(Problems problems) {
        problems.inFile("not JSON: the OpenAI and Anthropic formats are JSON documents");
        return List.of();
    }

    private List<InvoiceLine> lines(String fileName, InvoiceFormat format, List<Charge> charges) {
        LineIds ids = new LineIds();
        List<InvoiceLine> lines = new ArrayList<>(charges.size());
        for (Charge c : charges) {
            ModelMapper.Mapped mapped = mapper.map(c.provider(), c.billedModel(), c.rule(), c.billingDay());
            lines.add(InvoiceLine.newBuilder()
                    .setLineId(ids.next(c))
                    .setProvider(c.provider())
                    .setBillingDay(c.billingDay())
                    .setBilledModel(c.billedModel())
                    .setModel(mapped.model())
                    .setMapping(mapped.mapping())
                    .setChargeClass(c.chargeClass())
                    .setServiceTier(c.serviceTier())
                    .setBatch(c.batch())
                    .setAmountUsd(c.amounts().amountUsd())
                    .setEffectiveCostUsd(c.amounts().effectiveCostUsd())
                    .setQuantity(c.amounts().quantity())
                    .setUnit(c.amounts().unit())
                    .setAccount(c.scope().account())
                    .setProject(c.scope().project())
                    .setWorkspace(c.scope().workspace())
                    .setSourceFormat(format.cliName())
                    .setSourceFile(fileName)
                    .setSourceLine(c.sourceLine())
                    .build());
        }
        return lines;
    }
}
