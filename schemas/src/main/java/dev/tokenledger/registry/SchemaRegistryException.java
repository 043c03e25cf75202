package dev.tokenledger.registry;

import java.util.OptionalInt;

/** A registry call failed: unreachable, rejected (e.g. incompatible schema), or an unknown id. */
public class SchemaRegistryException extends RuntimeException {

    private final OptionalInt httpStatus;

    public SchemaRegistryException(String message) {
        super(message);
        this.httpStatus = OptionalInt.empty();
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = OptionalInt.empty();
    }

    /** A failure the registry answered with a non-2xx status (e.g. 404 unknown id, 409 incompatible). */
    public SchemaRegistryException(String message, int httpStatus) {
        super(message);
        this.httpStatus = OptionalInt.of(httpStatus);
    }

    /** The HTTP status when the registry answered with an error; empty for other failures. */
    public OptionalInt httpStatus() {
        return httpStatus;
    }
}
