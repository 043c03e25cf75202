package dev.tokenledger.price;

/** A price-book file that cannot be read as written; the message says where (entry, field) and why. */
public final class PriceBookFormatException extends RuntimeException {

    public PriceBookFormatException(String message) {
        super(message);
    }

    public PriceBookFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
