package dev.tokenledger.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.generator.BilledLine.BilledClass;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The invoice files in the providers' own shapes, from the month's lines (their amounts after every planted cause,
 * rounded as the provider rounds): OpenAI Costs API pages, Anthropic cost report pages, FOCUS 1.2 CSV as AWS and
 * Google Cloud export it. Paged formats hold seven daily buckets a page, the APIs' default, saved as one JSON array
 * with {@code has_more} false only on the last page, as a complete export is.
 */
final class InvoiceWriters {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final int BUCKETS_PER_PAGE = 7;

    /** A rendered file: its text and how many invoice lines (results, rows) it holds. */
    record Rendered(String text, int lines) {
    }

    private InvoiceWriters() {
    }

    /** {@code GET /v1/organization/costs?bucket_width=1d&group_by=line_item,project_id} for every day of the month. */
    static Rendered openAi(YearMonth month, List<BilledLine> lines) {
        Map<LocalDate, List<BilledLine>> byDay = byDay(month, lines);
        List<ObjectNode> buckets = new ArrayList<>();
        for (Map.Entry<LocalDate, List<BilledLine>> day : byDay.entrySet()) {
            ObjectNode bucket = NODES.objectNode();
            long start = day.getKey().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            bucket.put("object", "bucket").put("start_time", start).put("end_time", start + 86_400);
            ArrayNode results = bucket.putArray("results");
            for (BilledLine line : day.getValue()) {
                ObjectNode result = results.addObject().put("object", "organization.costs.result");
                result.putObject("amount").put("value", amount(line, InvoiceShape.OPENAI)).put("currency", "usd");
                result.put("line_item", openAiLineItem(line.key)).put("project_id", line.key.scope());
            }
            buckets.add(bucket);
        }
        return new Rendered(pages(buckets, true, month), lines.size());
    }

    /** {@code batch | gpt-4o-2024-08-06, cached input}, {@code priority | gpt-5, output, long context}. */
    static String openAiLineItem(BilledLine.Key key) {
        if (key.billedClass() == BilledClass.FEES) {
            return "web search tool calls";
        }
        String prefix = key.batch() ? "batch | " : key.tier() != null ? key.tier() + " | " : "";
        String kind = switch (key.billedClass()) {
            case UNCACHED_INPUT -> "input";
            case CACHE_READ -> "cached input";
            case CACHE_WRITE_5M, CACHE_WRITE_1H -> "cache write";
            case REASONING -> "reasoning";
            default -> "output";
        };
        return prefix + key.billedModel() + ", " + kind + (key.longContext() ? ", long context" : "");
    }

    /** {@code GET /v1/organizations/cost_report} with daily buckets, grouped by workspace and description. */
    static Rendered anthropic(YearMonth month, List<BilledLine> lines) {
        Map<LocalDate, List<BilledLine>> byDay = byDay(month, lines);
        List<ObjectNode> buckets = new ArrayList<>();
        for (Map.Entry<LocalDate, List<BilledLine>> day : byDay.entrySet()) {
            ObjectNode bucket = NODES.objectNode();
            bucket.put("starting_at", day.getKey().atStartOfDay(ZoneOffset.UTC).toInstant().toString())
                    .put("ending_at", day.getKey().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            ArrayNode results = bucket.putArray("results");
            for (BilledLine line : day.getValue()) {
                BilledLine.Key k = line.key;
                boolean fee = k.billedClass() == BilledClass.FEES;
                // Cents, to the 4 places the report gives: "123.4567" is $1.234567.
                String cents = amount(line, InvoiceShape.ANTHROPIC).movePointRight(2).stripTrailingZeros().toPlainString();
                results.addObject().put("currency", "USD").put("amount", cents).put("workspace_id", k.scope())
                        .put("description", fee ? "Web Search" : anthropicDescription(k))
                        .put("cost_type", fee ? "web_search" : "tokens")
                        .put("context_window", fee ? null : k.longContext() ? "200k-1M" : "0-200k")
                        .put("model", fee ? null : k.billedModel())
                        .put("service_tier", fee ? null : k.batch() ? "batch" : k.tier() == null ? "standard" : k.tier())
                        .put("token_type", fee ? null : anthropicTokenType(k.billedClass()));
            }
            buckets.add(bucket);
        }
        return new Rendered(pages(buckets, false, month), lines.size());
    }

    private static String anthropicTokenType(BilledClass c) {
        return switch (c) {
            case UNCACHED_INPUT -> "uncached_input_tokens";
            case CACHE_READ -> "cache_read_input_tokens";
            case CACHE_WRITE_5M -> "cache_creation.ephemeral_5m_input_tokens";
            case CACHE_WRITE_1H -> "cache_creation.ephemeral_1h_input_tokens";
            default -> "output_tokens";
        };
    }

    private static String anthropicDescription(BilledLine.Key k) {
        String kind = switch (k.billedClass()) {
            case UNCACHED_INPUT -> "Input Tokens";
            case CACHE_READ -> "Input Tokens, Cache Hit";
            case CACHE_WRITE_5M -> "Input Tokens, Cache Write 5m";
            case CACHE_WRITE_1H -> "Input Tokens, Cache Write 1h";
            default -> "Output Tokens";
        };
        return ModelDisplayNames.display(k.billedModel()) + " Usage - " + kind + (k.batch() ? ", Batch" : "")
                + (k.longContext() ? ", Long Context" : "");
    }

    static final List<String> FOCUS_COLUMNS = List.of("BilledCost", "BillingAccountId", "BillingCurrency",
            "BillingPeriodStart", "BillingPeriodEnd", "ChargeCategory", "ChargeDescription", "ChargeFrequency",
            "ChargePeriodStart", "ChargePeriodEnd", "ConsumedQuantity", "ConsumedUnit", "EffectiveCost",
            "InvoiceIssuerName", "ListCost", "ProviderName", "PublisherName", "RegionId", "ServiceCategory", "ServiceName",
            "SkuMeter", "SubAccountId", "x_UsageType");

    /**
     * FOCUS 1.2 rows, one per line and day. AWS sells a third-party model on Bedrock as the service
     * {@code Claude Sonnet 4.5 (Amazon Bedrock Edition)}, its meter in {@code x_UsageType}
     * ({@code USE1-ClaudeSonnet4.5-cache-read-input-token-count}); Google Cloud bills the Gemini API as the service
     * {@code Gemini API} with the model in the SKU ({@code Gemini 2.5 Flash Thinking Text Output Tokens}).
     */
    static Rendered focus(YearMonth month, List<BilledLine> lines, InvoiceShape shape) {
        StringBuilder csv = new StringBuilder(String.join(",", FOCUS_COLUMNS)).append('\n');
        String periodStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        String periodEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        boolean aws = shape == InvoiceShape.AWS_FOCUS;
        for (BilledLine line : lines) {
            BilledLine.Key k = line.key;
            String cost = amount(line, shape).toPlainString();
            String meter = aws ? awsMeter(k) : gcpSku(k);
            String service = aws ? ModelDisplayNames.display(k.bookModel()) + " (Amazon Bedrock Edition)" : "Gemini API";
            String region = aws ? (k.region() == null ? "us-east-1" : k.region()) : "global";
            List<String> row = List.of(cost, aws ? InvoiceSet.AWS_ACCOUNT : InvoiceSet.GCP_BILLING_ACCOUNT, "USD",
                    periodStart, periodEnd, "Usage", (aws ? ModelDisplayNames.display(k.bookModel()) + " " : "") + meter
                            + " in " + region,
                    "Usage-Based", k.day().atStartOfDay(ZoneOffset.UTC).toInstant().toString(),
                    k.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString(),
                    Long.toString(line.finalQuantity()), k.billedClass() == BilledClass.FEES ? "Requests" : "Tokens", cost,
                    aws ? "Amazon Web Services, Inc." : "Google LLC", cost, aws ? "AWS" : "Google Cloud",
                    aws ? publisher(k.bookModel()) : "Google", region, "AI and Machine Learning", service, meter,
                    k.scope(), aws ? awsUsageType(k, region) : "");
            csv.append(String.join(",", row.stream().map(InvoiceWriters::csvField).toList())).append('\n');
        }
        return new Rendered(csv.toString(), lines.size());
    }

    private static String awsMeter(BilledLine.Key k) {
        String kind = switch (k.billedClass()) {
            case UNCACHED_INPUT -> "Input Tokens";
            case CACHE_READ -> "Cache Read Input Tokens";
            case CACHE_WRITE_5M -> "Cache Write Input Tokens";
            case CACHE_WRITE_1H -> "Cache Write 1h Input Tokens";
            case REASONING -> "Reasoning Output Tokens";
            case FEES -> "Web Search Requests";
            default -> "Output Tokens";
        };
        return modifiers(k) + kind;
    }

    private static String awsUsageType(BilledLine.Key k, String region) {
        String kind = switch (k.billedClass()) {
            case UNCACHED_INPUT -> "input-tokens";
            case CACHE_READ -> "cache-read-input-token-count";
            case CACHE_WRITE_5M -> "cache-write-input-token-count";
            case CACHE_WRITE_1H -> "cache-write-1h-input-token-count";
            case REASONING -> "reasoning-output-tokens";
            case FEES -> "web-search-requests";
            default -> "output-tokens";
        };
        return awsRegionCode(region) + "-" + ModelDisplayNames.compact(k.bookModel()) + "-"
                + modifiers(k).toLowerCase(Locale.ROOT).replace(' ', '-') + kind;
    }

    private static String gcpSku(BilledLine.Key k) {
        if (k.billedClass() == BilledClass.FEES) {
            return "Grounding with Google Search Requests";
        }
        String kind = switch (k.billedClass()) {
            case UNCACHED_INPUT -> "Text Input Tokens";
            case CACHE_READ -> "Cached Text Input Tokens";
            case CACHE_WRITE_5M, CACHE_WRITE_1H -> "Cache Storage Text Input Tokens";
            case REASONING -> "Thinking Text Output Tokens";
            default -> "Text Output Tokens";
        };
        return ModelDisplayNames.display(k.billedModel()) + " " + modifiers(k) + kind;
    }

    /** Batch, tier and long-context words before a meter's kind: "Batch Long Context ". */
    private static String modifiers(BilledLine.Key k) {
        String tier = k.tier() == null ? "" : Character.toUpperCase(k.tier().charAt(0)) + k.tier().substring(1) + " ";
        return (k.batch() ? "Batch " : "") + tier + (k.longContext() ? "Long Context " : "");
    }

    private static String awsRegionCode(String region) {
        return switch (region) {
            case "us-east-1" -> "USE1";
            case "us-east-2" -> "USE2";
            case "us-west-2" -> "USW2";
            case "eu-central-1" -> "EUC1";
            case "eu-west-1" -> "EU";
            case "ap-northeast-1" -> "APN1";
            default -> region.toUpperCase(Locale.ROOT).replace("-", "");
        };
    }

    private static String publisher(String bookModel) {
        int dot = bookModel.indexOf('.');
        String vendor = dot > 0 ? bookModel.substring(0, dot) : "Amazon";
        return Character.toUpperCase(vendor.charAt(0)) + vendor.substring(1);
    }

    /** The line's amount as the provider writes it: rounded half-even to its places, trailing zeros dropped. */
    static BigDecimal amount(BilledLine line, InvoiceShape shape) {
        BigDecimal rounded = line.rounded(InvoiceSynthesizer.STAGES - 1, shape.scale).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }

    private static String csvField(String value) {
        if (value == null) {
            return "";
        }
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /** Every day of the month, with its lines (none on a quiet day: the API still returns the bucket). */
    private static Map<LocalDate, List<BilledLine>> byDay(YearMonth month, List<BilledLine> lines) {
        Map<LocalDate, List<BilledLine>> byDay = new TreeMap<>();
        for (int d = 1; d <= month.lengthOfMonth(); d++) {
            byDay.put(month.atDay(d), new ArrayList<>());
        }
        lines.forEach(line -> byDay.get(line.key.day()).add(line));
        return byDay;
    }

    /** Seven buckets a page; OpenAI pages say {@code "object": "page"}, Anthropic's do not. */
    private static String pages(List<ObjectNode> buckets, boolean openAi, YearMonth month) {
        ArrayNode pages = NODES.arrayNode();
        for (int from = 0; from < buckets.size(); from += BUCKETS_PER_PAGE) {
            int to = Math.min(buckets.size(), from + BUCKETS_PER_PAGE);
            ObjectNode page = pages.addObject();
            if (openAi) {
                page.put("object", "page");
            }
            ArrayNode data = page.putArray("data");
            buckets.subList(from, to).forEach(data::add);
            boolean more = to < buckets.size();
            page.put("has_more", more).put("next_page", more ? "page_" + month + "_" + to : null);
        }
        try {
            return JSON.writeValueAsString(pages.size() == 1 ? pages.get(0) : pages) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
