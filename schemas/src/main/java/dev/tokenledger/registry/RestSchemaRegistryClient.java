package dev.tokenledger.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A small client for the Confluent Schema Registry REST API, over {@code java.net.http}.
 *
 * <p>The Confluent client jars ({@code kafka-schema-registry-client}) are not obtainable in this
 * build environment, so tokenledger keeps its own client for the two calls its serializers need:
 * {@code POST /subjects/{subject}/versions} and {@code GET /schemas/ids/{id}}. Confluent Schema
 * Registry, Apicurio (ccompat API, base URL {@code http://host:port/apis/ccompat/v7}), Karapace
 * and Redpanda all serve them. It does not cover compatibility checks, deletes, references or
 * non-Avro schema types.
 *
 * <p>The base URL may carry a path and {@code user:password@} credentials, which are sent as HTTP
 * basic auth; {@link RegistryClientSettings} adds the Confluent keys for basic auth, bearer tokens and TLS. Both directions are cached, so each schema costs at most one request per JVM.
 * Failures throw {@link SchemaRegistryException} naming the request, the HTTP status and the body.
 */
public final class RestSchemaRegistryClient implements SchemaRegistry {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    public RestSchemaRegistryClient(String url) {
        this(RegistryClientSettings.ofUrl(url));
    }

    /**
     * A client with credentials and TLS material from {@code settings}: basic auth from {@code basic.auth.user.info}
     * (or the URL's user info), a bearer token, a trust store for a registry certificate the JDK does not trust, a
     * key store for a registry that requires client certificates. Host names are always verified.
     */
    public RestSchemaRegistryClient(RegistryClientSettings settings) {
        URI uri = parse(settings.url());
        this.authorization = settings.userInfo().map(RestSchemaRegistryClient::basicAuthOf)
                .or(() -> settings.bearerToken().map(token -> "Bearer " + token))
                .or(() -> Optional.ofNullable(uri.getRawUserInfo()).map(RestSchemaRegistryClient::basicAuth));
        this.baseUrl = withoutUserInfo(uri).toString().replaceAll("/+$", "");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        settings.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** The base URL requests go to, without credentials. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        HttpRequest request = request("/subjects/" + pathSegment(subject) + "/versions")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        JsonNode id = send(request).get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException("POST " + request.uri() + " answered without an integer id");
        }
        idsBySubjectSchema.putIfAbsent(key, id.intValue());
        schemasById.putIfAbsent(id.intValue(), schema);
        return id.intValue();
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        HttpRequest request = request("/schemas/ids/" + id).GET().build();
        JsonNode response = send(request);
        String type = response.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SchemaRegistryException("Schema id " + id + " is " + type + ", not AVRO");
        }
        JsonNode text = response.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("GET " + request.uri() + " answered without a schema");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("Schema id " + id + " is not valid Avro: " + e.getMessage(), e);
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /** {@code GET /subjects}: throws {@link SchemaRegistryException} unless the registry answers 2xx within {@code timeout}. */
    public void checkReachable(Duration timeout) {
        send(request("/subjects").timeout(timeout).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(TIMEOUT)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .header("Content-Type", CONTENT_TYPE);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private JsonNode send(HttpRequest request) {
        String call = request.method() + " " + request.uri();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(call + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(call + " interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new SchemaRegistryException(
                    call + " -> HTTP " + response.statusCode() + ": " + response.body(), response.statusCode());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException(call + " answered with invalid JSON: " + response.body(), e);
        }
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("Schema registry URL must be http(s): " + redact(url));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid schema registry URL: " + redact(url), e);
        }
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid schema registry URL", e);
        }
    }

    private static String basicAuth(String rawUserInfo) {
        return basicAuthOf(URLDecoder.decode(rawUserInfo, StandardCharsets.UTF_8));
    }

    private static String basicAuthOf(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    /** The URL with any password replaced, for messages. */
    static String redact(String url) {
        return url.replaceFirst("//[^/@]*@", "//***@");
    }

    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
