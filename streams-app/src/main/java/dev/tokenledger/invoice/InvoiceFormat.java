package dev.tokenledger.invoice;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The invoice and cost-export formats tokenledger reads, by the name {@code --format} takes. */
public enum InvoiceFormat {
    /** OpenAI Costs API pages ({@code GET /v1/organization/costs}, daily buckets, grouped by line_item and project_id). */
    OPENAI("openai"),
    /** Anthropic Admin API cost report (daily buckets; amounts are decimal strings in cents). */
    ANTHROPIC("anthropic"),
    /** FOCUS 1.2 CSV, as AWS (Bedrock), Azure (OpenAI) and Google Cloud (Vertex AI) export it. */
    FOCUS("focus");

    private final String cliName;

    InvoiceFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The format {@code --format} names; throws listing the choices when there is none. */
    public static InvoiceFormat named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.cliName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown invoice format '" + name + "'; one of: "
                        + Arrays.stream(values()).map(InvoiceFormat::cliName).collect(Collectors.joining(", "))));
    }
}
