package dev.tokenledger.registry;

/** A registry call failed: unreachable, rejected (e.g. incompatible schema), or an unknown id. */
public class SchemaRegistryException extends RuntimeException {
    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
