package dev.tokenledger.whatif;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into a small tree that remembers the line of every value, so a scenario file's errors can
 * name the line to fix. Jackson's tree model drops locations; its streaming parser has them.
 *
 * @param line     1-based line where the value starts
 * @param scalar   the text of a scalar (null for a mapping, a sequence or YAML null)
 * @param fields   a mapping's entries in file order (null otherwise)
 * @param items    a sequence's items (null otherwise)
 * @param keyLines a mapping's keys and the line each is on (null otherwise)
 */
record LocatedYaml(int line, String scalar, Map<String, LocatedYaml> fields, List<LocatedYaml> items,
                   Map<String, Integer> keyLines) {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** A document that does not parse as YAML, with the line the parser stopped at. */
    static final class SyntaxException extends Exception {
        final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    static LocatedYaml parse(Reader reader) throws IOException, SyntaxException {
        try (JsonParser parser = FACTORY.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new LocatedYaml(1, null, Map.of(), null, Map.of());
            }
            return read(parser);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new SyntaxException(line, e.getOriginalMessage());
        }
    }

    private static LocatedYaml read(JsonParser parser) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, LocatedYaml> fields = new LinkedHashMap<>();
            Map<String, Integer> keyLines = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                int keyLine = parser.currentTokenLocation().getLineNr();
                parser.nextToken();
                LocatedYaml value = read(parser);
                if (fields.containsKey(name)) {
                    throw new com.fasterxml.jackson.core.JsonParseException(parser,
                            "duplicate key '" + name + "' (line " + keyLine + ")", parser.currentTokenLocation());
                }
                fields.put(name, value);
                keyLines.put(name, keyLine);
            }
            return new LocatedYaml(line, null, Collections.unmodifiableMap(fields), null,
                    Collections.unmodifiableMap(keyLines));
        }
        if (token == JsonToken.START_ARRAY) {
            List<LocatedYaml> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(parser));
            }
            return new LocatedYaml(line, null, null, List.copyOf(items), null);
        }
        if (token == JsonToken.VALUE_NULL) {
            return new LocatedYaml(line, null, null, null, null);
        }
        return new LocatedYaml(line, parser.getText(), null, null, null);
    }

    boolean isMapping() {
        return fields != null;
    }

    boolean isSequence() {
        return items != null;
    }

    boolean isScalar() {
        return scalar != null;
    }

    LocatedYaml get(String name) {
        return fields == null ? null : fields.get(name);
    }
}
