package dev.tokenledger.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.tokenledger.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * A schema registry for tests that need one behind HTTPS and basic auth: the three Confluent REST calls
 * tokenledger's client makes ({@code POST /subjects/{subject}/versions}, {@code GET /schemas/ids/{id}},
 * {@code GET /subjects}), backed by an {@link InMemorySchemaRegistry}. The project's real test registry (Apicurio
 * 2.x) does authentication through an OpenID Connect server only, so basic auth over TLS is tested here.
 * Optionally it requires a client certificate signed by the test CA. Requests without the right credentials get
 * 401 and are counted.
 */
public final class BasicAuthTlsRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();
    private final byte[] expectedAuthorization;
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();

    private BasicAuthTlsRegistry(HttpsServer server, String user, String password) {
        this.server = server;
        this.expectedAuthorization = ("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
    }

    /** Serves on 127.0.0.1 (a free port) with the server certificate of {@code certificates}. */
    public static BasicAuthTlsRegistry start(TestCertificates certificates, String user, String password, boolean requireClientCertificate) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(certificates.serverKeyStore()), TestCertificates.PASSWORD.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(certificates.trustStore()));
            tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);

            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    var ssl = tls.getDefaultSSLParameters();
                    ssl.setNeedClientAuth(requireClientCertificate);
                    params.setSSLParameters(ssl);
                }
            });
            server.setExecutor(Executors.newFixedThreadPool(2));
            BasicAuthTlsRegistry registry = new BasicAuthTlsRegistry(server, user, password);
            server.createContext("/", registry::handle);
            server.start();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the TLS registry", e);
        }
    }

    /** {@code https://127.0.0.1:PORT} (the client must trust the test CA). */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests turned away for missing or wrong credentials. */
    public int rejected() {
        return rejected.get();
    }

    /** Requests answered with 2xx. */
    public int served() {
        return served.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            if (authorization == null
                    || !MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8), expectedAuthorization)) {
                rejected.incrementAndGet();
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"registry\"");
                respond(ex, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            if (method.equals("GET") && path.equals("/subjects")) {
                respond(ex, 200, "[]");
            } else if (method.equals("POST") && path.startsWith("/subjects/") && path.endsWith("/versions")) {
                String subject = URLDecoder.decode(path.substring("/subjects/".length(), path.length() - "/versions".length()),
                        StandardCharsets.UTF_8);
                JsonNode body = JSON.readTree(ex.getRequestBody());
                int id = schemas.register(subject, new Schema.Parser().parse(body.get("schema").asText()));
                respond(ex, 200, "{\"id\":" + id + "}");
            } else if (method.equals("GET") && path.startsWith("/schemas/ids/")) {
                Schema schema = schemas.schemaById(Integer.parseInt(path.substring("/schemas/ids/".length())));
                respond(ex, 200, JSON.createObjectNode().put("schema", schema.toString()).toString());
            } else {
                respond(ex, 404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
            }
        } catch (RuntimeException e) {
            respond(ex, 500, "{\"error_code\":500,\"message\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private void respond(HttpExchange ex, int status, String body) throws IOException {
        if (status / 100 == 2) {
            served.incrementAndGet();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(TestCertificates.TYPE);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        return store;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
