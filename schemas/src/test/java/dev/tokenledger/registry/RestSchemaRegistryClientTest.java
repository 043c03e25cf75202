package dev.tokenledger.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Protocol details against a scripted HTTP server (the real-registry behaviour is covered by
 * RestSchemaRegistryClientIT against Apicurio).
 */
class RestSchemaRegistryClientTest {

    private static final String BASE_PATH = "/apis/ccompat/v7";
    private static final Schema SCHEMA = InMemorySchemaRegistryTest.record("A", "x");

    private record Seen(String method, String path, String contentType, String authorization, String body) {}

    private record Answer(int status, String body) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private HttpServer server;

    @BeforeEach
    void startScriptedRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            seen.add(new Seen(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + path,
                    new Answer(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopScriptedRegistry() {
        server.stop(0);
    }

    @Test
    void shouldPostTheSchemaToTheSubjectVersionsUnderTheBasePath() throws IOException {
        answers.put("POST " + BASE_PATH + "/subjects/llm.usage.v1-value/versions", new Answer(200, "{\"id\":7}"));

        int id = client("").register("llm.usage.v1-value", SCHEMA);

        assertThat(id).isEqualTo(7);
        Seen post = seen.get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(new ObjectMapper().readTree(post.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
        assertThat(post.authorization()).isNull();
    }

    @Test
    void shouldCheckReachabilityWithGetSubjectsAndNameTheStatusWhenRefused() {
        answers.put("GET " + BASE_PATH + "/subjects", new Answer(200, "[]"));
        client("").checkReachable(Duration.ofSeconds(2));
        assertThat(seen.get(0).path()).isEqualTo(BASE_PATH + "/subjects");

        answers.put("GET " + BASE_PATH + "/subjects", new Answer(401, "{\"message\":\"unauthorized\"}"));
        assertThatThrownBy(() -> client("").checkReachable(Duration.ofSeconds(2)))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 401");
    }

    @Test
    void shouldSendCredentialsFromTheUrlAsBasicAuthAndKeepThemOutOfTheBaseUrl() {
        answers.put("POST " + BASE_PATH + "/subjects/t-value/versions", new Answer(200, "{\"id\":1}"));
        RestSchemaRegistryClient client = client("svc-user:p%40ss@");

        client.register("t-value", SCHEMA);

        String expected = Base64.getEncoder().encodeToString("svc-user:p@ss".getBytes(StandardCharsets.UTF_8));
        assertThat(seen.get(0).authorization()).isEqualTo("Basic " + expected);
        assertThat(client.baseUrl()).doesNotContain("svc-user").endsWith(BASE_PATH);
    }

    @Test
    void shouldAskTheRegistryOnlyOnceForEachRegistrationAndEachId() {
        answers.put("POST " + BASE_PATH + "/subjects/t-value/versions", new Answer(200, "{\"id\":3}"));
        answers.put("GET " + BASE_PATH + "/schemas/ids/4",
                new Answer(200, "{\"schema\":" + quoted(InMemorySchemaRegistryTest.record("B", "y").toString()) + "}"));
        RestSchemaRegistryClient client = client("");

        for (int i = 0; i < 5; i++) {
            client.register("t-value", SCHEMA);
            client.schemaById(4);
        }

        assertThat(client.schemaById(3)).isEqualTo(SCHEMA);
        assertThat(seen).hasSize(2);
    }

    @Test
    void shouldParseTheSchemaLookedUpById() {
        Schema other = InMemorySchemaRegistryTest.record("B", "y");
        answers.put("GET " + BASE_PATH + "/schemas/ids/12",
                new Answer(200, "{\"schema\":" + quoted(other.toString()) + ",\"references\":[]}"));

        assertThat(client("").schemaById(12)).isEqualTo(other);
        assertThat(seen.get(0).method()).isEqualTo("GET");
    }

    @Test
    void shouldReportTheHttpStatusAndBodyWhenTheRegistryRejects() {
        answers.put("POST " + BASE_PATH + "/subjects/t-value/versions",
                new Answer(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));

        assertThatThrownBy(() -> client("").register("t-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).hasValue(409))
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("incompatible")
                .hasMessageContaining("/subjects/t-value/versions");
    }

    @Test
    void shouldReportAnUnknownIdWithTheRegistrysAnswer() {
        assertThatThrownBy(() -> client("").schemaById(99))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).hasValue(404))
                .hasMessageContaining("/schemas/ids/99");
    }

    @Test
    void shouldRefuseSchemasThatAreNotAvro() {
        answers.put("GET " + BASE_PATH + "/schemas/ids/5",
                new Answer(200, "{\"schema\":\"{}\",\"schemaType\":\"JSON\"}"));

        assertThatThrownBy(() -> client("").schemaById(5))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("JSON");
    }

    @Test
    void shouldFailClearlyWhenTheRegistryIsUnreachable() {
        int closedPort = freePort();
        RestSchemaRegistryClient client = new RestSchemaRegistryClient("http://127.0.0.1:" + closedPort + BASE_PATH);

        assertThatThrownBy(() -> client.register("t-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEmpty())
                .hasMessageContaining("POST http://127.0.0.1:" + closedPort);
    }

    private RestSchemaRegistryClient client(String userInfo) {
        return new RestSchemaRegistryClient(
                "http://" + userInfo + "127.0.0.1:" + server.getAddress().getPort() + BASE_PATH + "/");
    }

    private static String quoted(String text) {
        try {
            return new ObjectMapper().writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
