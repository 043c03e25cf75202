package dev.tokenledger.invoice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.money.PlainDecimal;
import dev.tokenledger.price.ProviderNames;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Anthropic Admin API cost report ({@code GET /v1/organizations/cost_report}, daily buckets): one page or a
 * JSON array of pages. {@code amount} is a decimal string in <em>cents</em> ({@code "123.45"} is $1.2345), so
 * the USD amount is the same digits with the point moved two places: exact, never through a double.
 */
final class AnthropicCostReport {

    private AnthropicCostReport() {
    }

    /** Whether a parsed document looks like cost-report pages: data buckets with starting_at and no OpenAI "object". */
    static boolean looksLike(JsonNode root) {
        JsonNode first = root.isArray() ? root.path(0) : root;
        JsonNode data = first.path("data");
        return !first.has("object") && data.isArray() && (data.isEmpty() || data.path(0).has("starting_at"));
    }

    static List<Charge> read(JsonNode root, Problems problems) {
        return InvoiceJson.readBuckets(root, problems, AnthropicCostReport::readBucket);
    }

    private static void readBucket(JsonNode bucket, String item, Problems problems, List<Charge> out) {
        String start = InvoiceJson.text(bucket, "starting_at", item, problems);
        LocalDate day = null;
        if (start != null) {
            try {
                day = OffsetDateTime.parse(start).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
            } catch (DateTimeParseException e) {
                problems.atItem(item, "starting_at \"" + start + "\" is not an RFC 3339 time");
            }
        }
        JsonNode results = InvoiceJson.array(bucket, "results", item, problems);
        if (results == null) {
            return;
        }
        for (int r = 0; r < results.size(); r++) {
            Charge charge = readResult(results.get(r), day, item + ".results[" + r + "]", problems);
            if (charge != null) {
                out.add(charge);
            }
        }
    }

    private static Charge readResult(JsonNode result, LocalDate day, String item, Problems problems) {
        BigDecimal cents = InvoiceJson.decimal(result, "amount", item, problems);
        String currency = InvoiceJson.text(result, "currency", item, problems);
        String costType = InvoiceJson.text(result, "cost_type", item, problems);
        String tokenType = InvoiceJson.optionalText(result, "token_type");
        if (cents == null || currency == null || costType == null || day == null) {
            return null;
        }
        if (!currency.equalsIgnoreCase("USD")) {
            problems.atItem(item, "currency \"" + currency + "\": only USD costs are read");
            return null;
        }
        if (costType.equals("tokens") && tokenType == null) {
            problems.atItem(item, "token_type missing for cost_type \"tokens\"");
            return null;
        }
        BigDecimal usd;
        try {
            usd = Usd.exact("amount", cents.movePointLeft(2));
        } catch (PlainDecimal.Invalid e) {
            problems.atItem(item, "amount \"" + cents.toPlainString() + "\" (cents) is not an exact USD amount: "
                    + e.getMessage());
            return null;
        }
        String model = InvoiceJson.optionalText(result, "model");
        String tier = InvoiceJson.optionalText(result, "service_tier");
        boolean batch = "batch".equalsIgnoreCase(tier);
        String billedModel = model != null ? model
                : firstNonNull(InvoiceJson.optionalText(result, "description"), costType);
        return new Charge(ProviderNames.ANTHROPIC, day, billedModel, model == null ? ModelRule.NONE : ModelRule.MODEL_ID,
                chargeClass(costType, tokenType), batch ? null : lower(tier), batch, Charge.Amounts.of(usd),
                Charge.Scope.workspace(InvoiceJson.optionalText(result, "workspace_id")), item,
                List.of(costType, tokenType == null ? "-" : tokenType,
                        lower(firstNonNull(InvoiceJson.optionalText(result, "context_window"), "-"))));
    }

    /**
     * Token types are the cost engine's classes (both cache-write durations are cache_write; the token type
     * stays in the identity); web search and code execution are fees; anything new is other, still kept.
     */
    static ChargeClass chargeClass(String costType, String tokenType) {
        if (!costType.equals("tokens")) {
            return costType.equals("web_search") || costType.equals("code_execution") ? ChargeClass.fees : ChargeClass.other;
        }
        if (tokenType.startsWith("cache_creation")) {
            return ChargeClass.cache_write;
        }
        return switch (tokenType) {
            case "uncached_input_tokens" -> ChargeClass.uncached_input;
            case "cache_read_input_tokens" -> ChargeClass.cache_read;
            case "output_tokens" -> ChargeClass.output;
            default -> ChargeClass.other;
        };
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
