package dev.tokenledger.invoice;

import dev.tokenledger.avro.ChargeClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the free text of an OpenAI Costs API {@code line_item}: an optional {@code tier | } prefix
 * ({@code priority | gpt-5, output, long context}; {@code batch | } sets the batch flag instead), then the
 * model, then comma-separated qualifiers naming the token class ({@code input}, {@code cached input},
 * {@code output}; a modality word such as {@code audio} before it is kept, not lost) and anything else
 * ({@code long context}). Text without a comma ({@code web search tool calls}) names no model: a fee.
 *
 * @param model      null when the item names no model
 * @param qualifiers the qualifiers that are neither the class nor a tier, in order
 */
record OpenAiLineItem(String model, ChargeClass chargeClass, String serviceTier, boolean batch, List<String> qualifiers) {

    private static final Set<String> MODALITIES = Set.of("audio", "image", "text", "video");
    private static final Set<String> TIERS = Set.of("priority", "flex", "scale", "standard", "default");

    static OpenAiLineItem parse(String lineItem) {
        String rest = lineItem.trim().replaceAll("\\s+", " ");
        String tier = null;
        boolean batch = false;
        int bar = rest.indexOf('|');
        if (bar > 0) {
            String prefix = rest.substring(0, bar).trim().toLowerCase(Locale.ROOT);
            rest = rest.substring(bar + 1).trim();
            if (prefix.equals("batch")) {
                batch = true;
            } else {
                tier = prefix;
            }
        }
        String[] parts = rest.split(",");
        if (parts.length == 1) {
            return new OpenAiLineItem(null, ChargeClass.fees, tier, batch, List.of());
        }
        ChargeClass chargeClass = null;
        List<String> qualifiers = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String q = parts[i].trim().toLowerCase(Locale.ROOT);
            ChargeClass c = chargeClass == null ? classOf(q) : null;
            if (c != null) {
                chargeClass = c;
                for (String word : q.split(" ")) {
                    if (MODALITIES.contains(word)) {
                        qualifiers.add(word);
                    }
                }
            } else if (q.equals("batch")) {
                batch = true;
            } else if (tier == null && TIERS.contains(q)) {
                tier = q;
            } else if (!q.isEmpty()) {
                qualifiers.add(q);
            }
        }
        return new OpenAiLineItem(parts[0].trim(), chargeClass == null ? ChargeClass.other : chargeClass,
                tier, batch, qualifiers);
    }

    /** The class a qualifier names, with an optional modality word ({@code cached audio input}); null if none. */
    private static ChargeClass classOf(String qualifier) {
        List<String> words = new ArrayList<>(List.of(qualifier.split(" ")));
        boolean cached = words.remove("cached");
        words.removeIf(MODALITIES::contains);
        String kind = String.join(" ", words);
        return switch (kind) {
            case "input" -> cached ? ChargeClass.cache_read : ChargeClass.uncached_input;
            case "output" -> ChargeClass.output;
            case "cache write", "cache creation" -> ChargeClass.cache_write;
            case "reasoning" -> ChargeClass.reasoning;
            default -> null;
        };
    }
}
