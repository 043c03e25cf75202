package dev.tokenledger.price;

import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The price book: every version of every (provider, model, region) price, in memory, indexed for
 * pricing events at stream rates.
 *
 * <p>Thread-safe. Writes ({@link #upsert}, {@link #remove}) take a lock and mark the provider's
 * index stale; the next lookup for that provider rebuilds it once. Lookups read an immutable
 * index without locking: a couple of hash probes and a binary search over versions.
 *
 * <p>Resolution of {@link #lookup}: the provider as given, else its canonical OpenTelemetry name
 * ({@code bedrock} -> {@code aws.bedrock}); then the model as given (case-insensitive), an alias,
 * or a Bedrock cross-region id of a regional entry; else the name with provider prefixes and
 * routing segments stripped ({@code gemini/gemini-2.5-flash}) and a Bedrock region prefix split
 * off ({@code us.anthropic.claude-...} -> region {@code us}). For the model found, the regional
 * entry of the implied region, then of the event's region, wins over the global entry; within
 * each, the version with the latest effective_from at or before the event time is in force. A
 * name that does not resolve is unknown: no price is guessed.
 */
public final class PriceBook {

    private final Object lock = new Object();
    /** Guarded by lock. */
    private final Map<String, PriceEntry> byKey = new HashMap<>();
    private final ConcurrentHashMap<String, Shelf> shelves = new ConcurrentHashMap<>();

    /** One provider's entries and the index built from them (null while stale). */
    private static final class Shelf {
        /** Guarded by the book's lock. */
        final Map<String, PriceEntry> entries = new HashMap<>();
        volatile ProviderIndex index;
    }

    private PriceBook() {
    }

    public static PriceBook empty() {
        return new PriceBook();
    }

    /** A book of these entries; throws {@link InvalidPriceEntryException} on the first invalid one. */
    public static PriceBook of(Collection<PriceEntry> entries) {
        PriceBook book = new PriceBook();
        entries.forEach(book::upsert);
        return book;
    }

    /**
     * The record key of a version on llm.pricebook.v1: provider, model, region ({@code *} when global) and
     * effective_from in epoch millis, joined by {@code /}, e.g. <code>openai/gpt-4o/&#42;/0</code>.
     * A tombstone for this key removes the version.
     */
    public static String keyOf(PriceEntry e) {
        String region = e.getRegion() == null ? "*" : e.getRegion();
        return e.getProvider() + "/" + e.getModel() + "/" + region + "/" + e.getEffectiveFrom().toEpochMilli();
    }

    /** Why an entry cannot be in the book (a machine-readable reason), or empty when it is valid. */
    public static Optional<String> problemWith(PriceEntry e) {
        if (e == null) {
            return Optional.of("null_entry");
        }
        if (isBlank(e.getProvider())) {
            return Optional.of("missing_provider");
        }
        if (isBlank(e.getModel())) {
            return Optional.of("missing_model");
        }
        if (e.getRegion() != null && isBlank(e.getRegion())) {
            return Optional.of("blank_region");
        }
        if (e.getEffectiveFrom() == null) {
            return Optional.of("missing_effective_from");
        }
        if (e.getStandard() == null) {
            return Optional.of("missing_standard_rates");
        }
        if (e.getStandard().getInput() == null && e.getStandard().getOutput() == null) {
            return Optional.of("no_input_or_output_price");
        }
        Optional<String> bad = negative("standard", e.getStandard())
                .or(() -> negative("batch", e.getBatch()))
                .or(() -> negative("flex", e.getFlex()))
                .or(() -> negative("priority", e.getPriority()));
        if (bad.isPresent()) {
            return bad;
        }
        for (LongContextTier tier : e.getLongContextTiers()) {
            if (tier == null || tier.getRates() == null || tier.getAboveInputTokens() < 0) {
                return Optional.of("bad_long_context_tier");
            }
            bad = negative("long_context", tier.getRates());
            if (bad.isPresent()) {
                return bad;
            }
        }
        for (Map.Entry<String, BigDecimal> fee : e.getPerCallFees().entrySet()) {
            if (fee.getValue() == null || fee.getValue().signum() < 0) {
                return Optional.of("bad_per_call_fee:" + fee.getKey());
            }
        }
        return Optional.empty();
    }

    /** Adds a version, or replaces the version with the same key. */
    public void upsert(PriceEntry e) {
        Optional<String> problem = problemWith(e);
        if (problem.isPresent()) {
            throw new InvalidPriceEntryException(problem.get(), e);
        }
        // The book keeps its own deep copy: a caller mutating its record cannot change prices behind the index.
        PriceEntry copy = PriceEntry.newBuilder(e).build();
        String key = keyOf(copy);
        synchronized (lock) {
            byKey.put(key, copy);
            Shelf shelf = shelves.computeIfAbsent(ProviderNames.canonical(copy.getProvider()), p -> new Shelf());
            shelf.entries.put(key, copy);
            shelf.index = null;
        }
    }

    /** Removes the version with this key (a tombstone on llm.pricebook.v1); unknown keys are ignored. */
    public void remove(String key) {
        synchronized (lock) {
            PriceEntry old = byKey.remove(key);
            if (old != null) {
                Shelf shelf = shelves.get(ProviderNames.canonical(old.getProvider()));
                shelf.entries.remove(key);
                shelf.index = null;
            }
        }
    }

    public int size() {
        synchronized (lock) {
            return byKey.size();
        }
    }

    /** A snapshot of every version (copies: changing them does not change the book). */
    public Collection<PriceEntry> entries() {
        synchronized (lock) {
            List<PriceEntry> out = new ArrayList<>(byKey.size());
            for (PriceEntry e : byKey.values()) {
                out.add(PriceEntry.newBuilder(e).build());
            }
            return out;
        }
    }

    /** The model names the book holds for a provider (any spelling of it), each once, sorted. */
    public SortedSet<String> models(String provider) {
        SortedSet<String> names = new TreeSet<>();
        synchronized (lock) {
            Shelf shelf = shelves.get(ProviderNames.canonical(provider));
            if (shelf != null) {
                shelf.entries.values().forEach(e -> names.add(e.getModel()));
            }
        }
        return names;
    }

    /** The version in force at {@code at} for this call, or empty when the book does not know the model. */
    public Optional<PriceMatch> lookup(String provider, String model, String region, Instant at) {
        if (at == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(find(provider, model, region, at.toEpochMilli()));
    }

    /** The allocation-light form of {@link #lookup} used by the cost engine: null when unknown. */
    PriceMatch find(String provider, String model, String region, long atMillis) {
        if (provider == null || model == null) {
            return null;
        }
        boolean normalisedProvider = false;
        Shelf shelf = shelves.get(provider);
        if (shelf == null) {
            shelf = shelves.get(ProviderNames.canonical(provider));
            if (shelf == null) {
                return null;
            }
            normalisedProvider = true;
        }
        ProviderIndex index = indexOf(shelf);
        PriceMatch match = resolve(index, ModelNames.key(model), null, region, atMillis);
        if (match == null) {
            match = findNormalised(index, model, region, atMillis);
        }
        if (match != null && normalisedProvider && match.kind() == MatchKind.EXACT) {
            return new PriceMatch(match.card(), MatchKind.NORMALISED, match.regionFallback());
        }
        return match;
    }

    private PriceMatch findNormalised(ProviderIndex index, String model, String region, long atMillis) {
        for (ModelNames.Reading reading : ModelNames.readings(model)) {
            PriceMatch m = resolve(index, ModelNames.key(reading.model()), reading.region(), region, atMillis);
            if (m != null) {
                MatchKind kind = m.kind() == MatchKind.EXACT ? MatchKind.NORMALISED : m.kind();
                return kind == m.kind() ? m : new PriceMatch(m.card(), kind, m.regionFallback());
            }
        }
        return null;
    }

    /**
     * The version in force for a name: the implied region's entry (from the name), then the event
     * region's entry, then the global entry.
     */
    private static PriceMatch resolve(ProviderIndex index, String nameKey, String readingRegion, String eventRegion,
                                      long atMillis) {
        ProviderIndex.Binding b = index.binding(nameKey);
        if (b == null) {
            return null;
        }
        String implied = b.impliedRegion() != null ? b.impliedRegion() : readingRegion;
        ProviderIndex.ModelVersions mv = b.versions();
        if (!mv.regional.isEmpty()) {
            RateCard card = regional(mv, implied, atMillis);
            if (card == null && eventRegion != null) {
                card = regional(mv, ModelNames.key(eventRegion), atMillis);
            }
            if (card != null) {
                return new PriceMatch(card, b.kind() == MatchKind.ALIAS ? MatchKind.ALIAS : MatchKind.REGIONAL, false);
            }
        }
        RateCard card = mv.global == null ? null : mv.global.inForce(atMillis);
        if (card == null) {
            return null;
        }
        boolean regionFallback = implied != null;
        MatchKind kind = b.kind() == MatchKind.REGIONAL ? MatchKind.NORMALISED : b.kind();
        return new PriceMatch(card, kind, regionFallback);
    }

    private static RateCard regional(ProviderIndex.ModelVersions mv, String region, long atMillis) {
        if (region == null) {
            return null;
        }
        ProviderIndex.Versions v = mv.regional.get(region);
        return v == null ? null : v.inForce(atMillis);
    }

    private ProviderIndex indexOf(Shelf shelf) {
        ProviderIndex index = shelf.index;
        if (index != null) {
            return index;
        }
        synchronized (lock) {
            if (shelf.index == null) {
                shelf.index = ProviderIndex.build(shelf.entries.values());
            }
            return shelf.index;
        }
    }

    private static Optional<String> negative(String set, PriceRates rates) {
        if (rates == null) {
            return Optional.empty();
        }
        for (RateClass c : RateClass.ALL) {
            BigDecimal r = c.of(rates);
            if (r != null && r.signum() < 0) {
                return Optional.of("negative_rate:" + set + "." + c.name().toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
