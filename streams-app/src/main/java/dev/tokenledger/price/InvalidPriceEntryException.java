package dev.tokenledger.price;

import dev.tokenledger.avro.PriceEntry;

/**
 * A price entry the book cannot hold, with a machine-readable reason. Callers consuming the
 * price-book topic check {@link PriceBook#problemWith} first and route bad records to the DLQ.
 */
public final class InvalidPriceEntryException extends IllegalArgumentException {

    private final String reason;

    public InvalidPriceEntryException(String reason, PriceEntry entry) {
        super("invalid price entry (" + reason + "): "
                + (entry == null ? "null" : entry.getProvider() + "/" + entry.getModel()));
        this.reason = reason;
    }

    /** e.g. {@code missing_model}, {@code negative_rate:standard.input}. */
    public String reason() {
        return reason;
    }
}
