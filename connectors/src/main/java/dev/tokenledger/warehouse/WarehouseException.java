package dev.tokenledger.warehouse;

/** A warehouse query or load that could not be carried out; the message says which and why. */
public class WarehouseException extends RuntimeException {

    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
