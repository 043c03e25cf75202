package dev.tokenledger.price;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the cost engine wants a reader of a priced event to know: where it had no price and fell
 * back, or applied a rule that changes the price. Flags travel with the event as lower_snake names.
 */
public enum PricingFlag {
    /** The model (or provider) is absent from the book: every cost is zero. */
    UNPRICED,
    /** input_tokens exceeded a long-context threshold: the whole request is at that tier's prices. */
    LONG_CONTEXT_TIER,
    /** A batch price was derived as 50% of the standard (or long-context) price, not read from the book. */
    BATCH_FALLBACK,
    /** flex/priority was requested but the book has no such price (or the tier is unknown): standard price used. */
    TIER_FALLBACK,
    /** Cache reads priced at the input price: the book has no cache-read price. */
    CACHE_READ_FALLBACK,
    /** Cache writes priced at the input price: the book has no cache-write price. */
    CACHE_WRITE_FALLBACK,
    /** 1-hour cache writes priced at the 5-minute write price: the book has no 1-hour price. */
    CACHE_WRITE_1H_FALLBACK,
    /** The entry has no input or no output price although the event has such tokens: that class costs 0. */
    MISSING_RATE,
    /** The event made web-search calls but the book has no web_search fee: fees cost 0. */
    FEE_UNPRICED,
    /** The model id named a region (e.g. Bedrock {@code us.}) that has no regional entry: the global entry priced it. */
    REGION_FALLBACK,
    /** The model matched through an alias listed on the entry. */
    ALIAS_MATCH,
    /** The model or provider matched only after normalising the name (provider prefix, Bedrock region prefix). */
    NORMALISED_MATCH,
    /** Token counts were inconsistent (negative, or a subset above its total): clamped to price what is coherent. */
    INCONSISTENT_TOKENS;

    private static final PricingFlag[] ALL = values();
    private static final AtomicReferenceArray<FlagSet> CACHE = new AtomicReferenceArray<>(1 << ALL.length);

    /** The flag as it is written into priced events, e.g. {@code batch_fallback}. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    int bit() {
        return 1 << ordinal();
    }

    /** Shared immutable set of the flags in a bit mask: pricing an event allocates no set. */
    static Set<PricingFlag> setOf(int bits) {
        return flagSet(bits).flags;
    }

    static List<String> namesOf(Set<PricingFlag> flags) {
        int bits = 0;
        for (PricingFlag f : flags) {
            bits |= f.bit();
        }
        return flagSet(bits).names;
    }

    private static FlagSet flagSet(int bits) {
        FlagSet cached = CACHE.get(bits);
        if (cached == null) {
            cached = new FlagSet(bits);
            CACHE.compareAndSet(bits, null, cached);
        }
        return cached;
    }

    private static final class FlagSet {
        final Set<PricingFlag> flags;
        final List<String> names;

        FlagSet(int bits) {
            EnumSet<PricingFlag> set = EnumSet.noneOf(PricingFlag.class);
            List<String> n = new ArrayList<>();
            for (PricingFlag f : ALL) {
                if ((bits & f.bit()) != 0) {
                    set.add(f);
                    n.add(f.flagName());
                }
            }
            this.flags = Collections.unmodifiableSet(set);
            this.names = List.copyOf(n);
        }
    }
}
