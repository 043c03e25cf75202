package dev.tokenledger.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.config.TokenLedgerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP surface with bearer tokens: who gets 200, 401 and 403 on which endpoint, over a real socket. */
class HttpApiAuthTest {

    private static final String OPERATOR = "operator-7f3a";
    private static final String GATEWAY = "gateway-91c2";

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldLetTheGatewayTokenReadBudgetsOnlyAndTheOperatorTokenEverything() throws Exception {
        start(new HttpAuth(Optional.of(OPERATOR), Optional.of(GATEWAY), false));

        assertThat(status("/budgets", null)).isEqualTo(401);
        assertThat(status("/budgets/team/search", "Bearer wrong")).isEqualTo(401);
        assertThat(status("/budgets", "Basic " + GATEWAY)).isEqualTo(401);
        assertThat(status("/budgets", "Bearer " + GATEWAY)).isEqualTo(200);
        assertThat(status("/budgets/team/search", "bearer " + GATEWAY)).isEqualTo(200);
        assertThat(status("/budgets", "Bearer " + OPERATOR)).isEqualTo(200);

        assertThat(status("/metrics", null)).isEqualTo(401);
        assertThat(status("/metrics", "Bearer " + GATEWAY)).isEqualTo(403);
        assertThat(status("/metrics", "Bearer " + OPERATOR)).isEqualTo(200);
        assertThat(status("/admin", "Bearer " + GATEWAY)).isEqualTo(403);
        assertThat(status("/admin", "Bearer " + OPERATOR)).isEqualTo(200);

        // Probes carry no secret.
        assertThat(status("/health/ready", null)).isEqualTo(200);
        assertThat(status("/health/live", null)).isEqualTo(200);
        assertThat(status("/health", null)).isEqualTo(200);
    }

    @Test
    void shouldAnswer401WithABearerChallenge() throws Exception {
        start(new HttpAuth(Optional.of(OPERATOR), Optional.empty(), true));

        HttpResponse<String> refused = get("/budgets", null);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tokenledger\"");
        assertThat(refused.body()).doesNotContain(OPERATOR);
    }

    @Test
    void shouldKeepMetricsOpenByDefault() throws Exception {
        start(HttpAuth.from(TokenLedgerConfig.of(Map.of(TokenLedgerConfig.HTTP_TOKEN, OPERATOR,
                TokenLedgerConfig.HTTP_BUDGETS_TOKEN, GATEWAY))));

        assertThat(status("/metrics", null)).isEqualTo(200);
        assertThat(status("/budgets", null)).isEqualTo(401);
        assertThat(status("/budgets", "Bearer " + GATEWAY)).isEqualTo(200);
        assertThat(api.auth().forwardingAuthorization()).hasValue("Bearer " + GATEWAY);
    }

    @Test
    void shouldServeEverythingWithoutTokensConfigured() throws Exception {
        start(HttpAuth.from(TokenLedgerConfig.of(Map.of())));

        assertThat(status("/budgets", null)).isEqualTo(200);
        assertThat(status("/metrics", null)).isEqualTo(200);
        assertThat(status("/admin", "Bearer anything")).isEqualTo(200);
        assertThat(api.auth().forwardingAuthorization()).isEmpty();
    }

    private void start(HttpAuth auth) throws Exception {
        api = HttpApi.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> "RUNNING", auth);
        api.route("/budgets", ex -> HttpApi.respond(ex, 200, "application/json", "{\"budgets\":[]}"));
        api.route("/admin", ex -> HttpApi.respond(ex, 200, "text/plain", "ok"));
    }

    private int status(String path, String authorization) throws Exception {
        return get(path, authorization).statusCode();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
