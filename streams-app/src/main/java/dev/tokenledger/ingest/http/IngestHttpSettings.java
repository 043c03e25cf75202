package dev.tokenledger.ingest.http;

import dev.tokenledger.config.TokenLedgerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * HTTP ingest's configuration ({@code tokenledger.http.ingest.*}, declared in ConfigRegistry).
 *
 * @param bearerTokens  accepted bearer tokens; empty leaves ingest open
 * @param maxBodyBytes  largest body read, before and after gzip decoding
 * @param maxInFlight   records sent and not yet acknowledged at which a request is answered 429
 * @param retryAfter    the {@code Retry-After} of a 429 or 503
 * @param ackTimeout    how long a request waits for its acknowledgements
 */
public record IngestHttpSettings(List<String> bearerTokens, int maxBodyBytes, int maxInFlight, Duration retryAfter,
                                 Duration ackTimeout) {

    public IngestHttpSettings {
        bearerTokens = List.copyOf(bearerTokens);
    }

    public static IngestHttpSettings from(TokenLedgerConfig config) {
        List<String> tokens = Arrays.stream(config.get(TokenLedgerConfig.HTTP_INGEST_BEARER_TOKENS).split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).toList();
        return new IngestHttpSettings(tokens, config.integer(TokenLedgerConfig.HTTP_INGEST_MAX_BODY_BYTES),
                config.integer(TokenLedgerConfig.HTTP_INGEST_MAX_IN_FLIGHT),
                config.duration(TokenLedgerConfig.HTTP_INGEST_RETRY_AFTER),
                config.duration(TokenLedgerConfig.HTTP_INGEST_ACK_TIMEOUT));
    }

    /** Whole seconds for the header, at least 1 (0 would invite a retry storm). */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** A token-free description for the startup log. */
    @Override
    public String toString() {
        return "IngestHttpSettings[bearerTokens=" + bearerTokens.size() + " configured, maxBodyBytes=" + maxBodyBytes
                + ", maxInFlight=" + maxInFlight + ", retryAfter=" + retryAfter + ", ackTimeout=" + ackTimeout + "]";
    }
}
