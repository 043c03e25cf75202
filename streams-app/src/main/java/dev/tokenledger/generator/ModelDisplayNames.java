package dev.tokenledger.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model ids as invoices spell them in prose: {@code claude-sonnet-4-5-20250929} is "Claude Sonnet 4.5",
 * {@code anthropic.claude-3-5-sonnet-20241022-v2:0} is "Claude 3.5 Sonnet v2", {@code gemini-2.5-flash} is
 * "Gemini 2.5 Flash". The invoice readers' model mapping reads these back onto the book's ids.
 */
final class ModelDisplayNames {

    private static final Pattern DATE = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");
    private static final Pattern BEDROCK_VERSION = Pattern.compile("-v(\\d+)(:\\d+)?$");
    private static final Pattern VENDOR = Pattern.compile("^(?:[a-z]{2,6}\\.)?(?:anthropic|amazon|meta|mistral|cohere|ai21)\\.");

    private ModelDisplayNames() {
    }

    /** The id without a dated-snapshot suffix. */
    static String undated(String model) {
        Matcher m = DATE.matcher(model);
        return m.find() ? model.substring(0, m.start()) : model;
    }

    /** "Claude Sonnet 4.5" for any of its ids, a Bedrock id's vendor, version 1 and date dropped, a later version kept. */
    static String display(String model) {
        String n = VENDOR.matcher(model.trim().toLowerCase(Locale.ROOT)).replaceFirst("");
        String version = "";
        Matcher v = BEDROCK_VERSION.matcher(n);
        if (v.find()) {
            version = v.group(1).equals("1") ? "" : " v" + v.group(1);
            n = n.substring(0, v.start());
        }
        List<String> words = new ArrayList<>();
        for (String word : undated(n).split("-")) {
            int last = words.size() - 1;
            if (!word.isEmpty() && isNumber(word) && last >= 0 && isNumber(words.get(last))) {
                words.set(last, words.get(last) + "." + word);
            } else if (!word.isEmpty()) {
                words.add(word);
            }
        }
        List<String> out = new ArrayList<>();
        for (String word : words) {
            out.add(Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return String.join(" ", out) + version;
    }

    /** The display name without spaces, as AWS usage types spell a model: "ClaudeSonnet4.5". */
    static String compact(String model) {
        return display(model).replace(" ", "");
    }

    private static boolean isNumber(String word) {
        return word.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }
}
