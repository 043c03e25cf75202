package dev.tokenledger.ingest.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Bearer-token check of the ingest routes only ({@code tokenledger.http.ingest.bearer-tokens}); the
 * read-only endpoints have their own. Tokens are compared in constant time and never logged or echoed.
 */
public final class IngestAuth {

    private static final String SCHEME = "bearer ";

    private final List<byte[]> tokens;

    public IngestAuth(List<String> tokens) {
        this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** False when no token is configured: ingest is open. */
    public boolean required() {
        return !tokens.isEmpty();
    }

    /** @param authorization the {@code Authorization} header, or null */
    public boolean allows(String authorization) {
        if (!required()) {
            return true;
        }
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] given = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] t : tokens) {
            match |= MessageDigest.isEqual(t, given); // every token compared: the time says nothing of which matched
        }
        return match;
    }
}
