package dev.tokenledger.invoice;

import dev.tokenledger.avro.ChargeClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a FOCUS row's meter text says: the words of {@code SkuMeter}, {@code x_SkuMeterName} and
 * {@code x_UsageType} together, as the three clouds spell them ({@code USE1-Claude3.5Sonnet-cache-read-input-token-count},
 * {@code gpt-4o-0806-Inp-glbl 1M Tokens}, {@code gpt 4o mini cached inp glbl}, {@code Gemini 2.5 Flash Thinking Output
 * Text Tokens}). Word rules, checked in this order: cache write ({@code cache} with {@code write} or {@code creation}),
 * cache read ({@code cached}, {@code cchd}, {@code cache read}), reasoning ({@code reasoning}, {@code thinking}),
 * output ({@code output}, {@code outp}, {@code out}), input ({@code input}, {@code inp}), fees ({@code search},
 * {@code grounding}, {@code tool}); else other. {@code batch} sets the batch flag; {@code priority} and {@code flex} the tier.
 */
record FocusMeter(ChargeClass chargeClass, boolean batch, String serviceTier) {

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9.]+");

    /**
     * Words that end the model's name in a meter: class, modality, deployment and unit words. The model is
     * whatever comes before the first of them ({@code gpt-4o-0806}-Inp-glbl, {@code Gemini 2.5 Flash} Input ...).
     */
    private static final Set<String> NOT_MODEL = Set.of("inp", "input", "outp", "output", "out", "cached", "cchd",
            "cache", "batch", "glbl", "gl", "global", "regnl", "regional", "rgnl", "dzone", "datazone", "data", "text",
            "image", "audio", "video", "tokens", "token", "thinking", "reasoning", "characters", "priority", "flex",
            "provisioned", "ptu", "grounding", "search", "long", "context", "1k", "1m", "requests", "tool");

    static FocusMeter read(String meterText) {
        List<String> words = words(meterText);
        boolean batch = words.contains("batch");
        String tier = words.contains("priority") ? "priority" : words.contains("flex") ? "flex" : null;
        return new FocusMeter(classOf(words), batch, tier);
    }

    private static ChargeClass classOf(List<String> w) {
        boolean cache = w.contains("cache");
        if (cache && (w.contains("write") || w.contains("creation"))) {
            return ChargeClass.cache_write;
        }
        if (w.contains("cached") || w.contains("cchd") || (cache && w.contains("read"))) {
            return ChargeClass.cache_read;
        }
        if (w.contains("reasoning") || w.contains("thinking")) {
            return ChargeClass.reasoning;
        }
        if (w.contains("output") || w.contains("outp") || w.contains("out")) {
            return ChargeClass.output;
        }
        if (w.contains("input") || w.contains("inp")) {
            return ChargeClass.uncached_input;
        }
        if (w.contains("search") || w.contains("grounding") || w.contains("tool")) {
            return ChargeClass.fees;
        }
        return ChargeClass.other;
    }

    /** The model part of a meter: the text before its first class, modality, deployment or unit word; null if none. */
    static String modelWords(String meter) {
        if (meter == null) {
            return null;
        }
        Matcher m = WORD.matcher(meter);
        while (m.find()) {
            if (NOT_MODEL.contains(m.group().toLowerCase(Locale.ROOT))) {
                String model = meter.substring(0, m.start()).replaceAll("[\\s\\-_]+$", "");
                return model.isEmpty() ? null : model;
            }
        }
        return meter.isBlank() ? null : meter.trim();
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            words.add(m.group().toLowerCase(Locale.ROOT));
        }
        return words;
    }
}
