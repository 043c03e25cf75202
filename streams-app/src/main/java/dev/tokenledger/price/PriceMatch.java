package dev.tokenledger.price;

import dev.tokenledger.avro.PriceEntry;

/** The price-book entry in force for a lookup, and how it was found. */
public final class PriceMatch {

    private final RateCard card;
    private final MatchKind kind;
    private final boolean regionFallback;

    PriceMatch(RateCard card, MatchKind kind, boolean regionFallback) {
        this.card = card;
        this.kind = kind;
        this.regionFallback = regionFallback;
    }

    /** The entry; treat it as read-only (it is the book's own copy). */
    public PriceEntry entry() {
        return card.entry();
    }

    public MatchKind kind() {
        return kind;
    }

    /** True when the model id named a region with no regional entry in force, so the global entry answered. */
    public boolean regionFallback() {
        return regionFallback;
    }

    /** The record key of the matched version on llm.pricebook.v1. */
    public String key() {
        return card.key();
    }

    RateCard card() {
        return card;
    }

    @Override
    public String toString() {
        return "PriceMatch[" + card.key() + ", " + kind + (regionFallback ? ", region fallback" : "") + "]";
    }
}
