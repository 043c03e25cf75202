package dev.tokenledger.invoice;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spelling rules that turn an invoice's model name into names a price book may hold. Provider prefixes,
 * aliases and Bedrock region prefixes are the price book's own lookup ({@code PriceBook.lookup}); these are the
 * rules only invoices need. None of them is applied while pricing events: there a dated snapshot may have its
 * own price, so it is never guessed from the undated name.
 */
final class BilledNames {

    /** OpenAI {@code -2024-08-06}, Anthropic {@code -20250514}, Vertex {@code @20250514}. */
    private static final Pattern DATE_SUFFIX = Pattern.compile("([-@])(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");
    /** A Bedrock model version: {@code -v1:0}, {@code -v2:0}, {@code -v1}. */
    private static final Pattern BEDROCK_VERSION = Pattern.compile("-v(\\d+)(:\\d+)?$");
    /** An Azure meter's snapshot, month and day only: {@code 0806} in {@code gpt-4o-0806}. */
    private static final Pattern AZURE_SNAPSHOT = Pattern.compile("^(.*?)[\\s-](\\d{2})(\\d{2})$");

    private BilledNames() {
    }

    /** The name without its dated-snapshot suffix, or null when it has none. */
    static String undated(String model) {
        Matcher m = DATE_SUFFIX.matcher(model.trim());
        return m.find() ? model.trim().substring(0, m.start()) : null;
    }

    /**
     * A Bedrock name reduced to its letters and digits, for comparing service names with model ids:
     * {@code Claude 3.5 Sonnet (Amazon Bedrock Edition)} and {@code anthropic.claude-3-5-sonnet-20240620-v1:0} are both
     * {@code claude35sonnet}. A model id loses its vendor segment, date and a version 1; a later version stays
     * ({@code ...-20241022-v2:0} is {@code claude35sonnetv2}, as its service name "Claude 3.5 Sonnet v2" is).
     */
    static String bedrockCompact(String name) {
        String n = name.trim();
        if (n.endsWith(FocusServices.BEDROCK_EDITION)) {
            n = n.substring(0, n.length() - FocusServices.BEDROCK_EDITION.length());
        }
        int dot = n.indexOf('.');
        if (dot > 0 && n.indexOf(' ') < 0 && Character.isLetter(n.charAt(dot - 1))) {
            n = n.substring(dot + 1); // the vendor of a model id: anthropic.claude-..., amazon.nova-pro-v1:0
        }
        Matcher version = BEDROCK_VERSION.matcher(n);
        if (version.find()) {
            n = n.substring(0, version.start()) + (version.group(1).equals("1") ? "" : "v" + version.group(1));
        }
        String undated = undated(n);
        if (undated != null) {
            n = undated;
        } else {
            n = n.replaceAll("-\\d{8}(?=v\\d+$)", "");
        }
        return n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** An Azure meter's model words as a model name: {@code gpt 4o mini} is {@code gpt-4o-mini}; a bare {@code 4o} gains {@code gpt-}. */
    static String azureModel(String meterModel) {
        String n = meterModel.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
        return Character.isDigit(n.charAt(0)) ? "gpt-" + n : n;
    }

    /** The month and day of an Azure meter's snapshot ({@code -08-06} from {@code gpt-4o-0806}), with the name before it; null if none. */
    static String[] azureSnapshot(String model) {
        Matcher m = AZURE_SNAPSHOT.matcher(model);
        return m.matches() ? new String[] {m.group(1), m.group(2), m.group(3)} : null;
    }

    /** A Google Cloud SKU's model words as a model name: {@code Gemini 2.5 Flash} is {@code gemini-2.5-flash}. */
    static String vertexModel(String skuModel) {
        return skuModel.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-");
    }
}
