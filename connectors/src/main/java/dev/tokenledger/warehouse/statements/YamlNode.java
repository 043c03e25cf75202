package dev.tokenledger.warehouse.statements;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers the line of every node (Jackson's own tree forgets it), so that a
 * refused rules file can say where each problem is.
 */
sealed interface YamlNode {

    int line();

    record Scalar(String text, int line) implements YamlNode {
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
    }

    /** A mapping in file order; {@code keyLines} is where each key is written. */
    record Mapping(Map<String, YamlNode> entries, Map<String, Integer> keyLines, int line) implements YamlNode {
    }

    /** Thrown for YAML that does not parse, or a key written twice in one mapping. */
    final class Malformed extends Exception {
        final int line;

        Malformed(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    static YamlNode parse(String text) throws Malformed {
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            return read(parser);
        } catch (IOException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null
                    ? p.getLocation().getLineNr() : 1;
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new Malformed(line, message == null ? "not YAML" : message.lines().findFirst().orElse(message));
        }
    }

    private static YamlNode read(JsonParser parser) throws IOException, Malformed {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            Map<String, Integer> keyLines = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyLine = parser.currentTokenLocation().getLineNr();
                if (entries.containsKey(key)) {
                    throw new Malformed(keyLine, "key '" + key + "' is written twice (first on line " + keyLines.get(key) + ")");
                }
                parser.nextToken();
                keyLines.put(key, keyLine);
                entries.put(key, read(parser));
            }
            return new Mapping(entries, keyLines, line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(parser));
            }
            return new Sequence(items, line);
        }
        // Every scalar as the text it was written as: 33.34 stays the decimal 33.34, never a double.
        return new Scalar(token == JsonToken.VALUE_NULL ? null : parser.getText(), line);
    }
}
