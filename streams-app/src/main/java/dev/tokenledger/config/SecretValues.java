package dev.tokenledger.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which configuration values are credentials, and what to show instead, wherever tokenledger itself prints or logs
 * configuration ({@code tokenledger config}, messages naming a URL). Kafka's own config logging already hides its
 * {@code PASSWORD} keys; these rules cover the rest, by key name, since a Kafka client key, a registry key or one
 * of tokenledger's may carry a secret:
 * {@code *password*}, {@code *secret*}, {@code *token*}, {@code *credentials*}, {@code *jaas.config},
 * {@code *basic.auth.user.info}, {@code *.key} (PEM private keys such as {@code ssl.keystore.key}), except keys
 * ending in {@code .source} or {@code .url}. Any value that is a URL with {@code user:password@} in it is shown
 * without the password.
 */
public final class SecretValues {

    public static final String HIDDEN = "[hidden]";

    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)([^/@:\\s]*):[^/@\\s]*@");

    private SecretValues() {
    }

    /** Whether the value of {@code key} is a credential. */
    public static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        // Every pipeline key starts with "tokenledger.": only the rest of it is judged.
        String k = lower.startsWith(TokenLedgerConfig.PREFIX) ? lower.substring(TokenLedgerConfig.PREFIX.length()) : lower;
        // Where a credential comes from and where a token is fetched are not credentials (a URL's user info still is hidden).
        if (k.endsWith(".source") || k.endsWith(".url")) {
            return false;
        }
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("credentials")
                || k.endsWith("jaas.config") || k.endsWith("basic.auth.user.info") || k.endsWith(".key");
    }

    /** What may be printed for {@code key}: {@link #HIDDEN} for a credential, else the value without URL passwords. */
    public static String display(String key, String value) {
        if (value == null) {
            return null;
        }
        if (isSecret(key) && !value.isEmpty()) {
            return HIDDEN;
        }
        return URL_USER_INFO.matcher(value).replaceAll("$1:" + HIDDEN + "@");
    }

    /** A copy of {@code values} fit to print or log. */
    public static Map<String, String> masked(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, display(k, v)));
        return out;
    }
}
