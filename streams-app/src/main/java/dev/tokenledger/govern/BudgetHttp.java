package dev.tokenledger.govern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.ScopeState;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.http.HttpApi;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /budgets} and {@code GET /budgets/{scope_type}/{scope_id}}, answered from the state
 * stores with interactive queries, correct with any number of instances sharing the application.
 *
 * <p>A scope's state lives in the one instance that owns its partition of
 * {@code govern-spend-by-scope}: an instance asked about a scope it does not own finds the owner
 * ({@link KafkaStreams#queryMetadataForKey}, which hashes the key as the repartition did) and
 * forwards the request to it over HTTP ({@code application.server} is each instance's HTTP address).
 * {@code /budgets} asks every instance for the budgets whose scopes it owns, and merges. Budgets
 * are in a global store, so every instance knows all of them; each budget is answered by exactly
 * one instance. Forwarded requests carry {@code local=true} and are never forwarded again; if the
 * owner moved meanwhile (a rebalance) the answer is 503 and the client retries.
 */
public final class BudgetHttp implements HttpHandler {

    public static final String PATH = "/budgets";
    private static final String LOCAL = "local=true";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final BudgetView view;
    private final LongSupplier clock;
    private final HttpClient client;
    private final Optional<String> forwardingAuthorization;

    public BudgetHttp(KafkaStreams streams, HostInfo self, GovernSettings settings, LongSupplier clock) {
        this(streams, self, settings, clock, Optional.empty());
    }

    /** As above; requests forwarded to other instances carry {@code forwardingAuthorization} (a bearer token). */
    public BudgetHttp(KafkaStreams streams, HostInfo self, GovernSettings settings, LongSupplier clock,
                      Optional<String> forwardingAuthorization) {
        this.forwardingAuthorization = forwardingAuthorization;
        this.streams = streams;
        this.self = self;
        this.view = new BudgetView(settings);
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * Serves {@link #PATH} on {@code api} from {@code streams}; {@code application.server} in
     * {@code config} must be this instance's HTTP address as the other instances reach it.
     */
    public static void attach(HttpApi api, KafkaStreams streams, TokenLedgerConfig config) {
        String server = config.getOrDefault(StreamsConfig.APPLICATION_SERVER_CONFIG, "");
        if (server.isBlank()) {
            throw new IllegalArgumentException(StreamsConfig.APPLICATION_SERVER_CONFIG
                    + " must be set to this instance's HTTP host:port for " + PATH + " to find the other instances");
        }
        api.route(PATH, new BudgetHttp(streams, HostInfo.buildFromEndpoint(server), GovernSettings.from(config.asMap()),
                System::currentTimeMillis, api.auth().forwardingAuthorization()));
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        boolean local = LOCAL.equals(ex.getRequestURI().getRawQuery());
        try {
            if (path.equals(PATH) || path.equals(PATH + "/")) {
                Answer a = local ? new Answer(200, localBudgets()) : allBudgets();
                respond(ex, a);
                return;
            }
            String[] parts = path.substring(PATH.length() + 1).split("/", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                respond(ex, error(404, "use /budgets or /budgets/{scope_type}/{scope_id}"));
                return;
            }
            String type = decode(parts[0]);
            String id = decode(parts[1]);
            if (!Scope.BUDGET_TYPES.contains(type)) {
                respond(ex, error(404, "unknown scope type " + type + "; one of " + Scope.BUDGET_TYPES.stream().sorted().toList()));
                return;
            }
            respond(ex, oneScope(new Scope(type, id), local));
        } catch (InvalidStateStoreException e) {
            respond(ex, error(503, "state is not queryable right now (" + e.getMessage() + "); retry"));
        }
    }

    private Answer oneScope(Scope scope, boolean local) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(BudgetProcessor.SCOPE_STORE, scope.key(), KEYS);
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return error(503, "no instance owns " + scope.key() + " right now; retry");
        }
        if (!owner.activeHost().equals(self)) {
            return local ? error(503, scope.key() + " moved to " + address(owner.activeHost()) + "; retry")
                    : forward(owner.activeHost(), PATH + "/" + encode(scope.type()) + "/" + encode(scope.id()));
        }
        ReadOnlyKeyValueStore<String, ScopeState> store = streams.store(StoreQueryParameters
                .fromNameAndType(BudgetProcessor.SCOPE_STORE, QueryableStoreTypes.<String, ScopeState>keyValueStore())
                .withPartition(owner.partition()));
        ScopeState state = store.get(scope.key());
        BudgetBook budgets = BudgetBook.of(budgetStore().all());
        ObjectNode body = view.scope(scope, state, p -> budgets.get(scope.budgetKey(p)), clock.getAsLong());
        if (body.get("periods").isEmpty()) {
            return error(404, "no budget and no spend for " + scope.key());
        }
        body.put("served_by", address(self));
        return new Answer(200, body);
    }

    /** Every budget whose scope this instance owns, as it stands now. */
    private ObjectNode localBudgets() {
        ReadOnlyKeyValueStore<String, ScopeState> scopes = streams.store(StoreQueryParameters
                .fromNameAndType(BudgetProcessor.SCOPE_STORE, QueryableStoreTypes.<String, ScopeState>keyValueStore()));
        long now = clock.getAsLong();
        ArrayNode lines = MAPPER.createArrayNode();
        for (Map.Entry<String, Budget> budget : BudgetBook.of(budgetStore().all()).snapshot().entrySet()) {
            Scope.BudgetRef ref = Scope.parseBudgetKey(budget.getKey());
            KeyQueryMetadata owner = streams.queryMetadataForKey(BudgetProcessor.SCOPE_STORE, ref.scope().key(), KEYS);
            if (owner == null || !self.equals(owner.activeHost())) {
                continue;
            }
            lines.add(view.budgeted(ref.period(), scopes.get(ref.scope().key()), budget.getValue(), ref.scope(), now));
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.set("budgets", lines);
        return body;
    }

    private Answer allBudgets() {
        List<JsonNode> lines = new ArrayList<>();
        List<String> instances = new ArrayList<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(BudgetProcessor.SCOPE_STORE)) {
            HostInfo host = instance.hostInfo();
            Answer part = host.equals(self) ? new Answer(200, localBudgets()) : forward(host, PATH);
            if (part.status() != 200) {
                return error(503, "instance " + address(host) + " answered " + part.status() + "; retry");
            }
            part.body().get("budgets").forEach(lines::add);
            instances.add(address(host));
        }
        lines.sort(Comparator.comparing((JsonNode n) -> n.get("scope_type").asText())
                .thenComparing(n -> n.get("scope_id").asText())
                .thenComparing(n -> n.get("period").asText()));
        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("budgets").addAll(lines);
        body.putPOJO("instances", instances);
        return new Answer(200, body);
    }

    private ReadOnlyKeyValueStore<String, Budget> budgetStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(BudgetStoreWriter.STORE, QueryableStoreTypes.keyValueStore()));
    }

    private Answer forward(HostInfo host, String pathAndNoQuery) {
        URI uri = URI.create("http://" + address(host) + pathAndNoQuery + "?" + LOCAL);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
            forwardingAuthorization.ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), (ObjectNode) MAPPER.readTree(response.body()));
        } catch (IOException e) {
            return error(503, "instance " + address(host) + " did not answer: " + e.getMessage() + "; retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, "interrupted");
        }
    }

    private static Answer error(int status, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", message);
        return new Answer(status, body);
    }

    private static void respond(HttpExchange ex, Answer a) throws IOException {
        HttpApi.respond(ex, a.status(), "application/json", MAPPER.writeValueAsString(a.body()));
    }

    private static String address(HostInfo h) {
        return h.host() + ":" + h.port();
    }

    /** Percent-decoding of a path segment ('+' is a plus sign in a path, not a space). */
    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record Answer(int status, ObjectNode body) {
    }
}
