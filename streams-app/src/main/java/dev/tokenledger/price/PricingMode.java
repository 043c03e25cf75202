package dev.tokenledger.price;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;

/** Which family of prices a call is billed at. */
enum PricingMode {
    STANDARD("standard"),
    BATCH("batch"),
    FLEX("flex"),
    PRIORITY("priority");

    final String label;

    PricingMode(String label) {
        this.label = label;
    }

    /** The entry's own price set for this mode, or null when the book has none. */
    PriceRates ratesOf(PriceEntry e) {
        switch (this) {
            case BATCH:
                return e.getBatch();
            case FLEX:
                return e.getFlex();
            case PRIORITY:
                return e.getPriority();
            default:
                return e.getStandard();
        }
    }
}
