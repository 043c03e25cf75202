package dev.tokenledger.invoice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.money.PlainDecimal;
import dev.tokenledger.price.ProviderNames;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * OpenAI Costs API ({@code GET /v1/organization/costs?bucket_width=1d&group_by=line_item,project_id}): one page
 * or a JSON array of pages; each bucket's {@code start_time} (epoch seconds) gives the UTC day, each result
 * one line. {@code amount.value} is a JSON number read from its text; there are no token counts.
 */
final class OpenAiCosts {

    private OpenAiCosts() {
    }

    /** Whether a parsed document looks like Costs API pages. */
    static boolean looksLike(JsonNode root) {
        JsonNode first = root.isArray() ? root.path(0) : root;
        return "page".equals(first.path("object").asText()) && first.has("data");
    }

    static List<Charge> read(JsonNode root, Problems problems) {
        return InvoiceJson.readBuckets(root, problems, OpenAiCosts::readBucket);
    }

    private static void readBucket(JsonNode bucket, String item, Problems problems, List<Charge> out) {
        JsonNode start = bucket.get("start_time");
        LocalDate day = null;
        if (start == null || !start.canConvertToLong()) {
            problems.atItem(item, "start_time " + (start == null ? "missing" : start + " is not epoch seconds"));
        } else {
            day = LocalDate.ofInstant(Instant.ofEpochSecond(start.asLong()), ZoneOffset.UTC);
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
        JsonNode amount = result.get("amount");
        if (amount == null || !amount.isObject()) {
            problems.atItem(item, "amount missing");
            return null;
        }
        BigDecimal value = InvoiceJson.decimal(amount, "value", "amount.value", item, problems);
        String currency = InvoiceJson.text(amount, "currency", item, problems);
        String lineItem = InvoiceJson.text(result, "line_item", item, problems);
        if (value == null || currency == null || lineItem == null || day == null) {
            return null;
        }
        if (!currency.toLowerCase(Locale.ROOT).equals("usd")) {
            problems.atItem(item, "currency \"" + currency + "\": only USD costs are read");
            return null;
        }
        BigDecimal usd;
        try {
            usd = Usd.exact("amount.value", value);
        } catch (PlainDecimal.Invalid e) {
            problems.atItem(item, e.getMessage());
            return null;
        }
        OpenAiLineItem parsed = OpenAiLineItem.parse(lineItem);
        String billedModel = parsed.model() == null ? lineItem.trim() : parsed.model();
        ModelRule rule = parsed.model() == null ? ModelRule.NONE : ModelRule.MODEL_ID;
        // The line item's text already says model, class, tier and qualifiers: it is the whole discriminator.
        return new Charge(ProviderNames.OPENAI, day, billedModel, rule, parsed.chargeClass(), parsed.serviceTier(),
                parsed.batch(), Charge.Amounts.of(usd), Charge.Scope.project(InvoiceJson.optionalText(result, "project_id")),
                item, List.of(lineItem.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT)));
    }
}
