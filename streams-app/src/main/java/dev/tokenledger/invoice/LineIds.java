package dev.tokenledger.invoice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity of an invoice line, its record key on llm.invoices.v1: what the line <em>is</em>, never where
 * it sits in a file, so the same invoice loaded twice gives the same keys and a corrected invoice for a day
 * restates, and so replaces, the lines it corrects:
 *
 * <pre>provider|scope|billing_day|billed_model|charge_class|tier|batch|discriminators...</pre>
 *
 * scope is the account, project or workspace ({@code -} for none), tier {@code -} when unsaid, batch {@code batch}
 * or {@code -}; the discriminators are what else the source tells lines apart by (OpenAI: the line item text;
 * Anthropic: cost type, token type, context window; FOCUS: charge category, charge period start, service,
 * meter, resource). {@code |} and {@code %} inside a part are percent-encoded. Rows the source itself does
 * not tell apart get {@code |#2}, {@code |#3}, ... in file order.
 */
final class LineIds {

    private final Map<String, Integer> seen = new HashMap<>();

    /** The id of the next charge of one file; call in file order. */
    String next(Charge charge) {
        String base = base(charge);
        int occurrence = seen.merge(base, 1, Integer::sum);
        return occurrence == 1 ? base : base + "|#" + occurrence;
    }

    static String base(Charge c) {
        List<String> parts = new ArrayList<>();
        parts.add(c.provider());
        parts.add(firstOf(c.scope().account(), c.scope().project(), c.scope().workspace()));
        parts.add(c.billingDay().toString());
        parts.add(c.billedModel());
        parts.add(c.chargeClass().name());
        parts.add(c.serviceTier() == null ? "-" : c.serviceTier());
        parts.add(c.batch() ? "batch" : "-");
        parts.addAll(c.discriminators());
        StringBuilder id = new StringBuilder();
        for (String part : parts) {
            if (id.length() > 0) {
                id.append('|');
            }
            id.append(encode(part.isEmpty() ? "-" : part));
        }
        return id.toString();
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return "-";
    }

    private static String encode(String part) {
        return part.replace("%", "%25").replace("|", "%7C");
    }
}
