package dev.tokenledger.price;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.money.PlainDecimal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * tokenledger's own price-book format: one YAML (or JSON) document that a FinOps owner edits by
 * hand. Prices are decimal strings, per token ({@code input_per_token: "0.000003"}) or per
 * million tokens ({@code input_per_mtok: "3.00"}, divided by 1,000,000 exactly); fees are USD per
 * call. See {@code src/main/resources/pricebook/README.md} for the format. Unknown keys are errors:
 * a misspelled price must not silently become "no price".
 */
public final class NativePriceBook {

    private static final Set<String> TOP_KEYS = Set.of("version", "currency", "entries");
    private static final Set<String> ENTRY_KEYS = Set.of("provider", "model", "region", "effective_from", "source",
            "aliases", "standard", "batch", "flex", "priority", "long_context", "per_call_fees");
    private static final String ABOVE = "above_input_tokens";
    private static final String PER_TOKEN = "_per_token";
    private static final String PER_MTOK = "_per_mtok";

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private NativePriceBook() {
    }

    public static List<PriceEntry> readYaml(InputStream in) {
        return read(tree(YAML, in));
    }

    /** Writes entries as a native YAML book, prices per million tokens; reading it back gives equal entries. */
    public static void writeYaml(Collection<PriceEntry> entries, Writer out) {
        try {
            YAML.writeValue(out, toTree(entries));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the price book", e);
        }
    }

    static JsonNode parseYaml(InputStream in) {
        return tree(YAML, in);
    }

    static JsonNode parseJson(InputStream in) {
        return tree(JSON, in);
    }

    /** Whether a parsed document is a native book: an object with an {@code entries} list. */
    static boolean looksNative(JsonNode root) {
        return root != null && root.isObject() && root.path("entries").isArray();
    }

    private static JsonNode tree(ObjectMapper mapper, InputStream in) {
        try {
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new PriceBookFormatException("not a readable price book: " + e.getMessage(), e);
        }
    }

    static List<PriceEntry> read(JsonNode root) {
        if (!looksNative(root)) {
            throw new PriceBookFormatException("a native price book is an object with an 'entries' list");
        }
        onlyKeys(root, TOP_KEYS, "book");
        if (root.has("currency") && !"USD".equals(root.get("currency").asText())) {
            throw new PriceBookFormatException("book: currency must be USD");
        }
        if (root.has("version") && root.get("version").asInt(-1) != 1) {
            throw new PriceBookFormatException("book: version must be 1");
        }
        List<PriceEntry> entries = new ArrayList<>();
        int i = 0;
        for (JsonNode node : root.get("entries")) {
            String where = "entries[" + i++ + "]";
            if (!node.isObject()) {
                throw new PriceBookFormatException(where + ": an entry is a mapping");
            }
            where += " (" + node.path("provider").asText("?") + "/" + node.path("model").asText("?") + ")";
            PriceEntry entry = entry(node, where);
            PriceBook.problemWith(entry).ifPresent(problem -> {
                throw new PriceBookFormatException(entryLabel(entry) + ": " + problem);
            });
            entries.add(entry);
        }
        return entries;
    }

    private static PriceEntry entry(JsonNode node, String where) {
        onlyKeys(node, ENTRY_KEYS, where);
        List<String> aliases = new ArrayList<>();
        for (JsonNode a : node.path("aliases")) {
            aliases.add(a.asText());
        }
        List<LongContextTier> tiers = new ArrayList<>();
        int t = 0;
        for (JsonNode tier : node.path("long_context")) {
            String tierWhere = where + ".long_context[" + t++ + "]";
            if (!tier.isObject()) {
                throw new PriceBookFormatException(tierWhere + ": a tier is a mapping");
            }
            JsonNode above = tier.get(ABOVE);
            if (above == null || !above.canConvertToExactIntegral() || above.asLong() < 0) {
                throw new PriceBookFormatException(tierWhere + ": " + ABOVE + " must be a whole number of tokens");
            }
            ObjectNode rates = ((ObjectNode) tier).deepCopy();
            rates.remove(ABOVE);
            tiers.add(new LongContextTier(above.asLong(), rates(rates, tierWhere)));
        }
        Map<String, BigDecimal> fees = new TreeMap<>();
        for (Map.Entry<String, JsonNode> fee : node.path("per_call_fees").properties()) {
            BigDecimal exact = Decimals.fee(decimal(fee.getValue(), where + ".per_call_fees." + fee.getKey()));
            if (exact == null) {
                throw new PriceBookFormatException(where + ".per_call_fees." + fee.getKey()
                        + ": more than 12 decimal places");
            }
            fees.put(fee.getKey(), exact);
        }
        return PriceEntry.newBuilder()
                .setProvider(text(node, "provider", where))
                .setModel(text(node, "model", where))
                .setRegion(node.hasNonNull("region") ? node.get("region").asText() : null)
                .setEffectiveFrom(effectiveFrom(node.get("effective_from"), where))
                .setSource(node.hasNonNull("source") ? node.get("source").asText() : "native")
                .setAliases(aliases)
                .setStandard(node.has("standard") ? rates(node.get("standard"), where + ".standard") : null)
                .setBatch(node.hasNonNull("batch") ? rates(node.get("batch"), where + ".batch") : null)
                .setFlex(node.hasNonNull("flex") ? rates(node.get("flex"), where + ".flex") : null)
                .setPriority(node.hasNonNull("priority") ? rates(node.get("priority"), where + ".priority") : null)
                .setLongContextTiers(tiers)
                .setPerCallFees(fees)
                .build();
    }

    private static PriceRates rates(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new PriceBookFormatException(where + ": a price set is a mapping");
        }
        BigDecimal[] r = new BigDecimal[RateClass.ALL.length];
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            String fieldWhere = where + "." + name;
            RateClass c;
            BigDecimal value;
            if (name.endsWith(PER_MTOK) && (c = rateClass(name.substring(0, name.length() - PER_MTOK.length()))) != null) {
                value = Decimals.rate(decimal(field.getValue(), fieldWhere).movePointLeft(6));
                if (value == null) {
                    throw new PriceBookFormatException(fieldWhere + ": more than 12 decimal places per million tokens");
                }
            } else if (name.endsWith(PER_TOKEN)
                    && (c = rateClass(name.substring(0, name.length() - PER_TOKEN.length()))) != null) {
                value = Decimals.rate(decimal(field.getValue(), fieldWhere));
                if (value == null) {
                    throw new PriceBookFormatException(fieldWhere + ": more than 18 decimal places per token");
                }
            } else {
                throw new PriceBookFormatException(fieldWhere + ": unknown price; expected <class>_per_mtok or "
                        + "<class>_per_token with class one of input, output, cache_read, cache_write_5m, "
                        + "cache_write_1h, reasoning");
            }
            if (r[c.ordinal()] != null) {
                throw new PriceBookFormatException(fieldWhere + ": " + c.name().toLowerCase(Locale.ROOT)
                        + " is priced twice (per token and per million tokens)");
            }
            r[c.ordinal()] = value;
        }
        return new PriceRates(r[RateClass.INPUT.ordinal()], r[RateClass.OUTPUT.ordinal()],
                r[RateClass.CACHE_READ.ordinal()], r[RateClass.CACHE_WRITE_5M.ordinal()],
                r[RateClass.CACHE_WRITE_1H.ordinal()], r[RateClass.REASONING.ordinal()]);
    }

    private static RateClass rateClass(String name) {
        for (RateClass c : RateClass.ALL) {
            if (c.name().toLowerCase(Locale.ROOT).equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * A price from a quoted plain decimal string ({@link PlainDecimal}: no exponent, no sign) or a plain
     * YAML/JSON number read as decimal text; never a double. The scale is checked by the caller.
     */
    private static BigDecimal decimal(JsonNode v, String where) {
        if (v.isTextual()) {
            try {
                return PlainDecimal.parse(where, v.asText(), false);
            } catch (PlainDecimal.Invalid e) {
                throw new PriceBookFormatException(e.getMessage());
            }
        }
        if (v.isBigDecimal() || v.isIntegralNumber()) {
            return v.decimalValue();
        }
        throw new PriceBookFormatException(where + ": write prices as decimal strings, e.g. \"3.00\"");
    }

    /** RFC 3339 date (midnight UTC) or date-time with offset; absent = in force from the beginning of time. */
    private static Instant effectiveFrom(JsonNode v, String where) {
        if (v == null || v.isNull()) {
            return Instant.EPOCH;
        }
        String s = v.asText().trim();
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new PriceBookFormatException(where + ".effective_from: '" + s
                    + "' is not an RFC 3339 date (2025-11-01) or date-time with offset (2025-11-01T00:00:00Z)");
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw new PriceBookFormatException(where + ": " + field + " is required");
        }
        return v.asText().trim();
    }

    private static void onlyKeys(JsonNode node, Set<String> allowed, String where) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!allowed.contains(field.getKey())) {
                throw new PriceBookFormatException(where + ": unknown key '" + field.getKey() + "'");
            }
        }
    }

    private static String entryLabel(PriceEntry e) {
        return e.getProvider() + "/" + e.getModel() + (e.getRegion() == null ? "" : "@" + e.getRegion());
    }

    private static ObjectNode toTree(Collection<PriceEntry> entries) {
        List<PriceEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(PriceEntry::getProvider).thenComparing(PriceEntry::getModel)
                .thenComparing(e -> e.getRegion() == null ? "" : e.getRegion())
                .thenComparing(PriceEntry::getEffectiveFrom));
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", 1);
        root.put("currency", "USD");
        ArrayNode list = root.putArray("entries");
        for (PriceEntry e : sorted) {
            ObjectNode n = list.addObject();
            n.put("provider", e.getProvider());
            n.put("model", e.getModel());
            if (e.getRegion() != null) {
                n.put("region", e.getRegion());
            }
            if (!Instant.EPOCH.equals(e.getEffectiveFrom())) {
                n.put("effective_from", formatInstant(e.getEffectiveFrom()));
            }
            n.put("source", e.getSource());
            if (!e.getAliases().isEmpty()) {
                ArrayNode aliases = n.putArray("aliases");
                e.getAliases().forEach(aliases::add);
            }
            n.set("standard", ratesTree(e.getStandard()));
            if (e.getBatch() != null) {
                n.set("batch", ratesTree(e.getBatch()));
            }
            if (e.getFlex() != null) {
                n.set("flex", ratesTree(e.getFlex()));
            }
            if (e.getPriority() != null) {
                n.set("priority", ratesTree(e.getPriority()));
            }
            if (!e.getLongContextTiers().isEmpty()) {
                ArrayNode tiers = n.putArray("long_context");
                for (LongContextTier t : e.getLongContextTiers()) {
                    ObjectNode tier = tiers.addObject();
                    tier.put(ABOVE, t.getAboveInputTokens());
                    tier.setAll(ratesTree(t.getRates()));
                }
            }
            if (!e.getPerCallFees().isEmpty()) {
                ObjectNode fees = n.putObject("per_call_fees");
                new TreeMap<>(e.getPerCallFees()).forEach((k, v) -> fees.put(k, readable(v)));
            }
        }
        return root;
    }

    private static ObjectNode ratesTree(PriceRates r) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        for (RateClass c : RateClass.ALL) {
            BigDecimal v = c.of(r);
            if (v != null) {
                n.put(c.name().toLowerCase(Locale.ROOT) + PER_MTOK, readable(v.multiply(Decimals.PER_MILLION)));
            }
        }
        return n;
    }

    /** Plain decimal text with at least two places: "3.00", "0.075", "0.0375". */
    private static String readable(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return (s.scale() < 2 ? s.setScale(2) : s).toPlainString();
    }

    private static String formatInstant(Instant at) {
        OffsetDateTime t = at.atOffset(ZoneOffset.UTC);
        return t.toLocalTime().toNanoOfDay() == 0 ? t.toLocalDate().toString() : at.toString();
    }
}
