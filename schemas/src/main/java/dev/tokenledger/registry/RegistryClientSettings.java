package dev.tokenledger.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.types.Password;

/**
 * How to reach a schema registry: its URL, credentials and TLS material, read from the keys the Confluent
 * serializers use, so a configuration written for them works here unchanged.
 *
 * <ul>
 *   <li>{@code schema.registry.url}</li>
 *   <li>{@code basic.auth.credentials.source}: {@code URL} (default; {@code user:password@} in the URL) or
 *       {@code USER_INFO} ({@code basic.auth.user.info} = {@code user:password})</li>
 *   <li>{@code bearer.auth.credentials.source=STATIC_TOKEN} with {@code bearer.auth.token}</li>
 *   <li>{@code schema.registry.ssl.truststore.location|password|type} and
 *       {@code schema.registry.ssl.keystore.location|password|type}, {@code schema.registry.ssl.key.password}
 *       (a client certificate, for a registry that requires one); types default to {@code PKCS12}, and the
 *       JDK reads JKS files through that type too</li>
 * </ul>
 *
 * <p>Equal settings are equal records, so {@link SchemaRegistries} shares one client per distinct setting.
 * {@link #toString()} never shows a credential.
 */
public record RegistryClientSettings(String url, Optional<String> userInfo, Optional<String> bearerToken,
                                     Optional<Store> trustStore, Optional<Store> keyStore, Optional<String> keyPassword) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String SSL_PREFIX = "schema.registry.ssl.";
    public static final String TRUSTSTORE_LOCATION = SSL_PREFIX + "truststore.location";
    public static final String TRUSTSTORE_PASSWORD = SSL_PREFIX + "truststore.password";
    public static final String TRUSTSTORE_TYPE = SSL_PREFIX + "truststore.type";
    public static final String KEYSTORE_LOCATION = SSL_PREFIX + "keystore.location";
    public static final String KEYSTORE_PASSWORD = SSL_PREFIX + "keystore.password";
    public static final String KEYSTORE_TYPE = SSL_PREFIX + "keystore.type";
    public static final String KEY_PASSWORD = SSL_PREFIX + "key.password";

    private static final String DEFAULT_STORE_TYPE = "PKCS12";

    /** A key or trust store file. */
    public record Store(Path location, String password, String type) {
        @Override
        public String toString() {
            return type + " " + location;
        }
    }

    /** Only a URL (credentials, if any, in its user info). */
    public static RegistryClientSettings ofUrl(String url) {
        return new RegistryClientSettings(url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /**
     * Reads the keys above from a client configuration (a serde's, a converter's, or tokenledger's own);
     * other keys are ignored. Values may be Kafka {@link Password}s.
     *
     * @throws IllegalArgumentException for an unsupported credentials source or a source without its credential
     */
    public static RegistryClientSettings from(Map<String, ?> configs) {
        String url = text(configs, URL).orElseThrow(() -> new IllegalArgumentException(URL + " is not set"));
        String basicSource = text(configs, BASIC_AUTH_SOURCE).orElse("URL").toUpperCase(Locale.ROOT);
        Optional<String> userInfo = switch (basicSource) {
            case "URL" -> Optional.empty();
            case "USER_INFO" -> Optional.of(text(configs, BASIC_AUTH_USER_INFO).filter(v -> v.contains(":"))
                    .orElseThrow(() -> new IllegalArgumentException(BASIC_AUTH_SOURCE + "=USER_INFO needs "
                            + BASIC_AUTH_USER_INFO + " as user:password")));
            default -> throw new IllegalArgumentException(BASIC_AUTH_SOURCE + " must be URL or USER_INFO, not " + basicSource);
        };
        Optional<String> bearer = text(configs, BEARER_AUTH_SOURCE).map(source -> {
            if (!"STATIC_TOKEN".equalsIgnoreCase(source)) {
                throw new IllegalArgumentException(BEARER_AUTH_SOURCE + " must be STATIC_TOKEN, not " + source);
            }
            return text(configs, BEARER_AUTH_TOKEN).orElseThrow(() ->
                    new IllegalArgumentException(BEARER_AUTH_SOURCE + "=STATIC_TOKEN needs " + BEARER_AUTH_TOKEN));
        });
        if (userInfo.isPresent() && bearer.isPresent()) {
            throw new IllegalArgumentException("set basic or bearer authentication for the schema registry, not both");
        }
        return new RegistryClientSettings(url, userInfo, bearer,
                store(configs, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE),
                store(configs, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE),
                text(configs, KEY_PASSWORD));
    }

    /** Whether {@code key} is one of the registry client's keys (which Kafka clients need not be given). */
    public static boolean isRegistryKey(String key) {
        return key.startsWith("schema.registry.") || key.startsWith("basic.auth.") || key.startsWith("bearer.auth.");
    }

    /** The TLS context for an https registry with its own trust or key material; empty: the JDK's defaults. */
    Optional<SSLContext> sslContext() {
        if (trustStore.isEmpty() && keyStore.isEmpty()) {
            return Optional.empty();
        }
        try {
            TrustManagerFactory trust = null;
            if (trustStore.isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(trustStore.get()));
            }
            KeyManagerFactory keys = null;
            if (keyStore.isPresent()) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(keyStore.get()), keyPassword.orElse(keyStore.get().password()).toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS for the schema registry (" + this + "): " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Store store) throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance(store.type());
        try (InputStream in = Files.newInputStream(store.location())) {
            keyStore.load(in, store.password().toCharArray());
        }
        return keyStore;
    }

    private static Optional<Store> store(Map<String, ?> configs, String location, String password, String type) {
        return text(configs, location).map(path -> new Store(Path.of(path), text(configs, password).orElse(""),
                text(configs, type).orElse(DEFAULT_STORE_TYPE)));
    }

    private static Optional<String> text(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        String s = value instanceof Password p ? p.value() : value == null ? null : value.toString().trim();
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    @Override
    public String toString() {
        return "registry " + RestSchemaRegistryClient.redact(url)
                + userInfo.map(u -> ", basic auth as " + u.substring(0, u.indexOf(':'))).orElse("")
                + bearerToken.map(t -> ", bearer token").orElse("")
                + trustStore.map(s -> ", trust store " + s).orElse("")
                + keyStore.map(s -> ", client certificate from " + s).orElse("");
    }
}
