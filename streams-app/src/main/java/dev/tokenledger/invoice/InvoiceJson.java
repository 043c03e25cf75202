package dev.tokenledger.invoice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tokenledger.money.PlainDecimal;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the JSON formats: numbers are read from their text as BigDecimal (never through a double),
 * and every accessor reports a missing or ill-typed field at the item's path instead of throwing.
 */
final class InvoiceJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private InvoiceJson() {
    }

    /** The document, or null with the parser's line and column reported. */
    static JsonNode parse(String text, Problems problems) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            problems.inFile("not valid JSON" + where + ": " + e.getOriginalMessage());
            return null;
        }
    }

    /** A page, or every page of a JSON array of pages, each with the path prefix its items get. */
    record Page(JsonNode node, String path) {
        /** The page as an item ({@code [2]}), or null for a file that is a single page. */
        String item() {
            return path.isEmpty() ? null : path.substring(0, path.length() - 1);
        }
    }

    static List<Page> pages(JsonNode root) {
        List<Page> pages = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                pages.add(new Page(root.get(i), "[" + i + "]."));
            }
        } else {
            pages.add(new Page(root, ""));
        }
        return pages;
    }

    /** Reads one daily bucket of a cost page into charges, reporting problems at {@code item}. */
    interface BucketReader {
        void read(JsonNode bucket, String item, Problems problems, List<Charge> out);
    }

    /**
     * The charges of every bucket under {@code data} of every page, in order; an incomplete export
     * (the last page has more) is reported.
     */
    static List<Charge> readBuckets(JsonNode root, Problems problems, BucketReader bucketReader) {
        List<Charge> charges = new ArrayList<>();
        List<Page> pages = pages(root);
        for (Page page : pages) {
            JsonNode data = array(page.node(), "data", page.item(), problems);
            if (data == null) {
                continue;
            }
            for (int b = 0; b < data.size(); b++) {
                bucketReader.read(data.get(b), page.path() + "data[" + b + "]", problems, charges);
            }
        }
        requireComplete(pages, problems);
        return charges;
    }

    /** The array under {@code field}, or null with the problem reported. */
    static JsonNode array(JsonNode node, String field, String item, Problems problems) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isArray()) {
            String problem = field + (value == null || value.isNull() ? " missing" : " is not an array");
            if (item == null) {
                problems.inFile(problem);
            } else {
                problems.atItem(item, problem);
            }
            return null;
        }
        return value;
    }

    /** A required text field, or null with the problem reported. */
    static String text(JsonNode node, String field, String item, Problems problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problems.atItem(item, field + " missing");
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            problems.atItem(item, field + " " + value + " is not a non-empty string");
            return null;
        }
        return value.asText().trim();
    }

    /** An optional text field: null when absent, JSON null or blank. */
    static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            return null;
        }
        return value.asText().trim();
    }

    /**
     * A decimal given as a JSON number or as a decimal string, exactly as written; null with the problem
     * reported when it is neither.
     */
    static BigDecimal decimal(JsonNode node, String field, String item, Problems problems) {
        return decimal(node, field, field, item, problems);
    }

    /** The same, naming the field as {@code label} in errors ({@code amount.value} for a nested field). */
    static BigDecimal decimal(JsonNode node, String field, String label, String item, Problems problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problems.atItem(item, label + " missing");
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return PlainDecimal.parse(field, value.asText(), true);
            } catch (PlainDecimal.Invalid e) {
                problems.atItem(item, label + " \"" + value.asText() + "\" is not a decimal");
                return null;
            }
        }
        problems.atItem(item, label + " " + value + " is not a decimal");
        return null;
    }

    /** Whether the last page says more follow: the file would be an incomplete export. */
    static void requireComplete(List<Page> pages, Problems problems) {
        if (pages.isEmpty()) {
            problems.inFile("no pages");
            return;
        }
        Page last = pages.get(pages.size() - 1);
        if (last.node().path("has_more").asBoolean(false)) {
            String where = last.item() == null ? "the page" : "page " + last.item();
            problems.inFile(where + " has has_more: true, so the export is incomplete: fetch next_page too and"
                    + " save the pages as one JSON array");
        }
    }
}
