package dev.tokenledger.generator;

import java.time.YearMonth;

/**
 * Which invoice file bills a provider's traffic, and how that provider writes a line: the decimal places it rounds a
 * line's USD amount to (half-even), and whether reasoning tokens get lines of their own or are billed as output.
 */
enum InvoiceShape {
    /** OpenAI Costs API: {@code amount.value} to 6 places; reasoning is billed as output tokens. */
    OPENAI("openai", "openai-costs-%s.json", 6, false),
    /** Anthropic cost report: cents to 4 places, so USD to 6; extended thinking is billed as output tokens. */
    ANTHROPIC("anthropic", "anthropic-cost-report-%s.json", 6, false),
    /** AWS FOCUS export for Bedrock: BilledCost to 10 places. */
    AWS_FOCUS("aws.bedrock", "aws-focus-%s.csv", 10, false),
    /** Google Cloud FOCUS export for the Gemini API: BilledCost to 10 places; thinking tokens have their own SKU. */
    GCP_FOCUS("gcp.gemini", "gcp-focus-%s.csv", 10, true);

    final String provider;
    private final String fileName;
    final int scale;
    final boolean reasoningLines;

    InvoiceShape(String provider, String fileName, int scale, boolean reasoningLines) {
        this.provider = provider;
        this.fileName = fileName;
        this.scale = scale;
        this.reasoningLines = reasoningLines;
    }

    String fileName(YearMonth month) {
        return String.format(fileName, month);
    }

    /** The shape for a provider's traffic, or null when no synthesized invoice bills it. */
    static InvoiceShape of(String provider) {
        for (InvoiceShape s : values()) {
            if (s.provider.equals(provider)) {
                return s;
            }
        }
        return null;
    }
}
