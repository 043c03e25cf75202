package dev.tokenledger.price;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.money.PlainDecimal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports the LiteLLM price map ({@code model_prices_and_context_window.json}, MIT) into price
 * entries. Numbers are read as {@link BigDecimal} from their JSON text, never through a double.
 *
 * <p>Mapping: {@code litellm_provider} -> OpenTelemetry gen_ai.provider.name (bedrock ->
 * aws.bedrock, vertex_ai-* -> gcp.vertex_ai, gemini -> gcp.gemini, azure -> azure.ai.openai,
 * azure_ai -> azure.ai.inference, mistral -> mistral_ai, xai -> x_ai, watsonx -> ibm.watsonx.ai;
 * others keep LiteLLM's name). Keys lose their provider prefix ({@code gemini/gemini-2.5-flash}
 * -> model {@code gemini-2.5-flash}); region parts of keys become regional entries (Bedrock
 * {@code us.}/{@code eu.}/... cross-region ids and {@code bedrock/us-east-1/} segments, Azure
 * {@code us/} and {@code eu/} data zones); Bedrock {@code global.} and Azure {@code global/} are
 * global entries. When two keys land on the same (provider, model, region), the plainer key wins:
 * unprefixed over provider-prefixed over global-deployment spellings, then the first in the file.
 *
 * <p>Fields: input/output_cost_per_token, cache_read_input_token_cost (else
 * input_cost_per_token_cache_hit), cache_creation_input_token_cost (5-minute write),
 * cache_creation_input_token_cost_above_1hr (1-hour write), output_cost_per_reasoning_token, the
 * {@code _batches}, {@code _flex} and {@code _priority} variants, {@code *_above_Nk_tokens}
 * long-context tiers (threshold N x 1000), and search_context_cost_per_query -> per-call fee
 * {@code web_search}, taking the medium search-context price (the provider default).
 *
 * <p>Skipped, with a reason: sample_spec, entries without a per-token input or output price
 * (images, audio by the second, ...), Bedrock provisioned-throughput commitments, prices with more
 * than 18 decimal places, negative prices, and the losing spelling of a duplicate.
 */
public final class LiteLlmPriceMap {

    public static final String SOURCE = "litellm";
    private static final String WEB_SEARCH_MEDIUM = "search_context_size_medium";
    private static final Pattern TIER_FIELD = Pattern.compile(
            "(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|"
                    + "cache_creation_input_token_cost_above_1hr|cache_creation_input_token_cost|"
                    + "output_cost_per_reasoning_token)_above_(\\d+)k_tokens");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** An entry of the map that was not imported, and why. */
    public record Skipped(String key, String reason) {
    }

    /** The entries imported, in file order, and the keys skipped. */
    public record Import(List<PriceEntry> entries, List<Skipped> skipped) {
    }

    private LiteLlmPriceMap() {
    }

    /** Imports with every entry in force from the beginning of time (the map carries no dates). */
    public static Import read(InputStream json) {
        return read(json, Instant.EPOCH);
    }

    /** Imports with every entry in force from {@code effectiveFrom}. */
    public static Import read(InputStream json, Instant effectiveFrom) {
        try {
            return read(JSON.readTree(json), effectiveFrom);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the LiteLLM price map", e);
        }
    }

    /** The OpenTelemetry gen_ai.provider.name for a {@code litellm_provider} value. */
    public static String providerName(String litellmProvider) {
        return ProviderNames.fromLiteLlm(litellmProvider);
    }

    /** Whether a parsed JSON document is a LiteLLM map: an object of objects carrying litellm_provider. */
    static boolean looksLikeLiteLlm(JsonNode root) {
        if (root == null || !root.isObject()) {
            return false;
        }
        for (Iterator<JsonNode> it = root.elements(); it.hasNext(); ) {
            JsonNode v = it.next();
            if (v.isObject() && v.has("litellm_provider")) {
                return true;
            }
        }
        return false;
    }

    static Import read(JsonNode root, Instant effectiveFrom) {
        if (!looksLikeLiteLlm(root)) {
            throw new PriceBookFormatException("not a LiteLLM price map: expected an object of model objects");
        }
        Map<String, Candidate> kept = new LinkedHashMap<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = field.getKey();
            try {
                Candidate c = convert(key, field.getValue(), effectiveFrom);
                String bookKey = PriceBook.keyOf(c.entry);
                Candidate previous = kept.get(bookKey);
                if (previous == null) {
                    kept.put(bookKey, c);
                } else if (c.rank < previous.rank) {
                    kept.put(bookKey, c);
                    skipped.add(new Skipped(previous.litellmKey, "duplicate_of:" + key));
                } else {
                    skipped.add(new Skipped(key, "duplicate_of:" + previous.litellmKey));
                }
            } catch (SkipException e) {
                skipped.add(new Skipped(key, e.getMessage()));
            }
        }
        List<PriceEntry> entries = new ArrayList<>(kept.size());
        kept.values().forEach(c -> entries.add(c.entry));
        return new Import(List.copyOf(entries), List.copyOf(skipped));
    }

    /** One converted entry, with how plainly its key was spelled (lower wins a duplicate). */
    private record Candidate(String litellmKey, PriceEntry entry, int rank) {
    }

    private static final class SkipException extends Exception {
        SkipException(String reason) {
            super(reason, null, false, false);
        }
    }

    private static Candidate convert(String key, JsonNode node, Instant effectiveFrom) throws SkipException {
        if ("sample_spec".equals(key)) {
            throw new SkipException("sample_spec");
        }
        if (!node.isObject()) {
            throw new SkipException("not_an_object");
        }
        JsonNode providerNode = node.get("litellm_provider");
        if (providerNode == null || !providerNode.isTextual() || providerNode.asText().isBlank()) {
            throw new SkipException("no_provider");
        }
        if (!node.hasNonNull("input_cost_per_token") && !node.hasNonNull("output_cost_per_token")) {
            throw new SkipException("no_token_prices");
        }
        if (key.contains("-commitment/")) {
            throw new SkipException("provisioned_throughput");
        }
        String litellmProvider = providerNode.asText().trim();
        ParsedKey parsed = parseKey(key, litellmProvider);

        PriceRates standard = rates(node, "input_cost_per_token", "output_cost_per_token",
                firstPresent(node, "cache_read_input_token_cost", "input_cost_per_token_cache_hit"),
                "cache_creation_input_token_cost", "cache_creation_input_token_cost_above_1hr",
                "output_cost_per_reasoning_token");
        PriceRates batch = rates(node, "input_cost_per_token_batches", "output_cost_per_token_batches",
                null, null, null, null);
        PriceRates flex = rates(node, "input_cost_per_token_flex", "output_cost_per_token_flex",
                "cache_read_input_token_cost_flex", null, null, null);
        PriceRates priority = rates(node, "input_cost_per_token_priority", "output_cost_per_token_priority",
                "cache_read_input_token_cost_priority", null, null, null);

        PriceEntry entry = PriceEntry.newBuilder()
                .setProvider(ProviderNames.fromLiteLlm(litellmProvider))
                .setModel(parsed.model)
                .setRegion(parsed.region)
                .setEffectiveFrom(effectiveFrom)
                .setSource(SOURCE)
                .setAliases(new ArrayList<>())
                .setStandard(standard)
                .setBatch(batch)
                .setFlex(flex)
                .setPriority(priority)
                .setLongContextTiers(tiers(node))
                .setPerCallFees(fees(node))
                .build();
        return new Candidate(key, entry, parsed.rank);
    }

    private record ParsedKey(String model, String region, int rank) {
    }

    /**
     * Reads provider prefixes and region parts out of a key. Rank: 0 for a plain key, 1 when a
     * provider prefix or routing segment was stripped, 2 for a global-deployment spelling.
     */
    private static ParsedKey parseKey(String key, String litellmProvider) {
        List<String> segments = new ArrayList<>(Arrays.asList(key.split("/", -1)));
        String provider = litellmProvider.toLowerCase(Locale.ROOT);
        boolean bedrock = provider.startsWith("bedrock");
        boolean azure = provider.startsWith("azure");
        int rank = 0;
        String region = null;
        if (segments.size() > 1) {
            String first = segments.get(0).toLowerCase(Locale.ROOT);
            if (first.equals(provider) || provider.startsWith(first + "-") || ProviderNames.isModelPrefix(first)) {
                segments.remove(0);
                rank = 1;
            }
        }
        if (bedrock && segments.size() > 1 && (segments.get(0).equals("invoke") || segments.get(0).equals("converse"))) {
            segments.remove(0);
            rank = Math.max(rank, 1);
        }
        if (bedrock && segments.size() > 1 && ModelNames.AWS_REGION.matcher(segments.get(0)).matches()) {
            region = segments.remove(0);
        }
        if (azure && segments.size() > 1) {
            String zone = segments.get(0).toLowerCase(Locale.ROOT);
            if (zone.equals("us") || zone.equals("eu")) {
                region = zone;
                segments.remove(0);
            } else if (zone.equals("global") || zone.equals("global-standard")) {
                segments.remove(0);
                rank = 2;
            }
        }
        String model = String.join("/", segments);
        if (bedrock && region == null) {
            ModelNames.Reading geo = ModelNames.bedrockGeo(model);
            if (geo != null) {
                model = geo.model();
                region = geo.region();
                if (region == null) {
                    rank = 2;
                }
            }
        }
        return new ParsedKey(model, region, rank);
    }

    private static String firstPresent(JsonNode node, String... fields) {
        for (String f : fields) {
            if (node.hasNonNull(f)) {
                return f;
            }
        }
        return fields[0];
    }

    /** A rate set from the named fields (null name = no such field); null when none is present. */
    private static PriceRates rates(JsonNode node, String input, String output, String cacheRead, String cacheWrite5m,
                                    String cacheWrite1h, String reasoning) throws SkipException {
        BigDecimal in = rate(node, input);
        BigDecimal out = rate(node, output);
        BigDecimal cr = rate(node, cacheRead);
        BigDecimal cw5 = rate(node, cacheWrite5m);
        BigDecimal cw1 = rate(node, cacheWrite1h);
        BigDecimal rs = rate(node, reasoning);
        if (in == null && out == null && cr == null && cw5 == null && cw1 == null && rs == null) {
            return null;
        }
        return new PriceRates(in, out, cr, cw5, cw1, rs);
    }

    private static List<LongContextTier> tiers(JsonNode node) throws SkipException {
        Map<Long, BigDecimal[]> byThreshold = new TreeMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String field = property.getKey();
            Matcher m = TIER_FIELD.matcher(field);
            if (!m.matches() || property.getValue().isNull()) {
                continue;
            }
            long threshold = Long.parseLong(m.group(2)) * 1000L;
            BigDecimal[] r = byThreshold.computeIfAbsent(threshold, t -> new BigDecimal[RateClass.ALL.length]);
            r[tierClass(m.group(1)).ordinal()] = rate(node, field);
        }
        List<LongContextTier> tiers = new ArrayList<>();
        for (Map.Entry<Long, BigDecimal[]> t : byThreshold.entrySet()) {
            BigDecimal[] r = t.getValue();
            tiers.add(new LongContextTier(t.getKey(), new PriceRates(r[RateClass.INPUT.ordinal()],
                    r[RateClass.OUTPUT.ordinal()], r[RateClass.CACHE_READ.ordinal()],
                    r[RateClass.CACHE_WRITE_5M.ordinal()], r[RateClass.CACHE_WRITE_1H.ordinal()],
                    r[RateClass.REASONING.ordinal()])));
        }
        return tiers;
    }

    private static RateClass tierClass(String base) {
        switch (base) {
            case "input_cost_per_token":
                return RateClass.INPUT;
            case "output_cost_per_token":
                return RateClass.OUTPUT;
            case "cache_read_input_token_cost":
                return RateClass.CACHE_READ;
            case "cache_creation_input_token_cost":
                return RateClass.CACHE_WRITE_5M;
            case "cache_creation_input_token_cost_above_1hr":
                return RateClass.CACHE_WRITE_1H;
            default:
                return RateClass.REASONING;
        }
    }

    private static Map<String, BigDecimal> fees(JsonNode node) throws SkipException {
        Map<String, BigDecimal> fees = new TreeMap<>();
        JsonNode search = node.get("search_context_cost_per_query");
        if (search != null && search.isObject() && search.hasNonNull(WEB_SEARCH_MEDIUM)) {
            BigDecimal fee = number(search.get(WEB_SEARCH_MEDIUM), "search_context_cost_per_query");
            if (fee.signum() < 0) {
                throw new SkipException("negative_fee:web_search");
            }
            BigDecimal exact = Decimals.fee(fee);
            if (exact == null) {
                throw new SkipException("fee_precision:web_search");
            }
            fees.put(RateCard.WEB_SEARCH_FEE, exact);
        }
        return fees;
    }

    private static BigDecimal rate(JsonNode node, String field) throws SkipException {
        if (field == null || !node.hasNonNull(field)) {
            return null;
        }
        BigDecimal v = number(node.get(field), field);
        if (v.signum() < 0) {
            throw new SkipException("negative_rate:" + field);
        }
        BigDecimal exact = Decimals.rate(v);
        if (exact == null) {
            throw new SkipException("rate_precision:" + field);
        }
        return exact;
    }

    private static BigDecimal number(JsonNode v, String field) throws SkipException {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            // Quoted numbers follow tokenledger's one text rule; the sign gets its own skip reason after.
            try {
                return PlainDecimal.parse(field, v.asText(), true);
            } catch (PlainDecimal.Invalid e) {
                throw new SkipException("bad_number:" + field);
            }
        }
        throw new SkipException("bad_number:" + field);
    }
}
