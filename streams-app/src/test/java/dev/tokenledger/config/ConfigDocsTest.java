package dev.tokenledger.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.govern.GovernSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** docs/operations.md's configuration tables and {@link ConfigRegistry} say the same: same keys, same defaults. */
class ConfigDocsTest {

    private static final Path DOC = Path.of("..", "docs", "operations.md");
    /** A table row: | `key` | `default` | … */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| `([^`]*)` \\|", Pattern.MULTILINE);

    @Test
    void shouldDocumentEveryDeclaredKeyWithItsDefault() throws Exception {
        String doc = Files.readString(DOC);
        String configuration = doc.substring(doc.indexOf("## Configuration"), doc.indexOf("## Reset"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = ROW.matcher(configuration);
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        Map<String, String> declared = ConfigRegistry.defaults();

        List<String> differences = new ArrayList<>();
        declared.forEach((key, value) -> {
            if (!documented.containsKey(key)) {
                differences.add(key + " is declared but not documented; add: " + row(key));
            } else if (!documented.get(key).equals(value)) {
                differences.add(key + " is documented with default " + documented.get(key) + ", declared with " + value);
            }
        });
        documented.keySet().stream().filter(k -> k.startsWith(TokenLedgerConfig.PREFIX) && !declared.containsKey(k))
                .forEach(k -> differences.add(k + " is documented but not declared in ConfigRegistry"));
        assertThat(differences).as("docs/operations.md vs ConfigRegistry").isEmpty();
        assertThat(configuration).contains("`" + GovernSettings.FEATURE_PREFIX + "<feature>");
    }

    /** The row the registry would write for a key. */
    private static String row(String key) {
        ConfigDef.ConfigKey k = ConfigRegistry.DEF.configKeys().get(key);
        return "| `" + key + "` | `" + ConfigDef.convertToString(k.defaultValue, k.type) + "` | " + k.documentation + " |";
    }
}
