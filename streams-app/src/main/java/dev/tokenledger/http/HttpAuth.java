package dev.tokenledger.http;

import dev.tokenledger.config.TokenLedgerConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may call which endpoint. Two bearer tokens, both optional: the operator's ({@code tokenledger.http.token}),
 * good for every endpoint, and the gateways' read-only one ({@code tokenledger.http.budgets-token}), good for
 * {@code /budgets} only. With neither set, every endpoint is open (as before tokens existed). Whatever is set,
 * {@code /health*} stays open: the probes of an orchestrator carry no secret and the answer is only a state. So
 * does {@code /metrics} unless {@code tokenledger.http.metrics-open=false}.
 *
 * <p>No or an unknown token: 401 with {@code WWW-Authenticate: Bearer}. A known token on an endpoint it does not
 * cover: 403. Tokens are compared in constant time.
 */
public final class HttpAuth {

    /** What an endpoint requires. */
    public enum Access {
        /** Probes: never a token. */
        OPEN,
        /** {@code /metrics}: open or the operator's token, as configured. */
        METRICS,
        /** {@code /budgets}: the gateways' or the operator's token. */
        BUDGETS,
        /** Anything else: the operator's token. */
        OPERATOR
    }

    /** The answer to one request: allowed, or the status to refuse it with. */
    public enum Decision {
        ALLOW(200), UNAUTHENTICATED(401), FORBIDDEN(403);

        public final int status;

        Decision(int status) {
            this.status = status;
        }
    }

    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> operatorToken;
    private final Optional<byte[]> budgetsToken;
    private final boolean metricsOpen;

    public HttpAuth(Optional<String> operatorToken, Optional<String> budgetsToken, boolean metricsOpen) {
        this.operatorToken = operatorToken.filter(t -> !t.isBlank()).map(HttpAuth::bytes);
        this.budgetsToken = budgetsToken.filter(t -> !t.isBlank()).map(HttpAuth::bytes);
        this.metricsOpen = metricsOpen;
    }

    /** Every endpoint open. */
    public static HttpAuth none() {
        return new HttpAuth(Optional.empty(), Optional.empty(), true);
    }

    public static HttpAuth from(TokenLedgerConfig config) {
        return new HttpAuth(Optional.of(config.getOrDefault(TokenLedgerConfig.HTTP_TOKEN, "")),
                Optional.of(config.getOrDefault(TokenLedgerConfig.HTTP_BUDGETS_TOKEN, "")),
                Boolean.parseBoolean(config.getOrDefault(TokenLedgerConfig.HTTP_METRICS_OPEN, "true")));
    }

    /** Whether any token is configured. */
    public boolean enabled() {
        return operatorToken.isPresent() || budgetsToken.isPresent();
    }

    /** The access an endpoint registered at {@code path} requires. */
    public static Access accessOf(String path) {
        if (path.equals("/health") || path.startsWith("/health/")) {
            return Access.OPEN;
        }
        if (path.equals("/metrics")) {
            return Access.METRICS;
        }
        if (path.equals("/budgets") || path.startsWith("/budgets/")) {
            return Access.BUDGETS;
        }
        return Access.OPERATOR;
    }

    /** Decides a request to an endpoint needing {@code access}, given its {@code Authorization} header (or null). */
    public Decision decide(Access access, String authorization) {
        if (!enabled() || access == Access.OPEN || (access == Access.METRICS && metricsOpen)) {
            return Decision.ALLOW;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Decision.UNAUTHENTICATED;
        }
        byte[] presented = bytes(authorization.substring(BEARER.length()).trim());
        if (matches(operatorToken, presented)) {
            return Decision.ALLOW;
        }
        if (matches(budgetsToken, presented)) {
            return access == Access.BUDGETS ? Decision.ALLOW : Decision.FORBIDDEN;
        }
        return Decision.UNAUTHENTICATED;
    }

    /**
     * The header one instance sends another when it forwards a {@code /budgets} request: the least credential that
     * is good for it (the gateways' token if set, else the operator's). Every instance is configured alike.
     */
    public Optional<String> forwardingAuthorization() {
        return budgetsToken.or(() -> operatorToken).map(t -> BEARER + new String(t, StandardCharsets.UTF_8));
    }

    private static boolean matches(Optional<byte[]> expected, byte[] presented) {
        return expected.isPresent() && MessageDigest.isEqual(expected.get(), presented);
    }

    private static byte[] bytes(String token) {
        return token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return enabled() ? "bearer tokens (operator " + (operatorToken.isPresent() ? "set" : "unset") + ", budgets "
                + (budgetsToken.isPresent() ? "set" : "unset") + ", /metrics " + (metricsOpen ? "open" : "operator token") + ")"
                : "no authentication";
    }
}
