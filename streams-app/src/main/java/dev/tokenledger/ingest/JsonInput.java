package dev.tokenledger.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a JSON body into records: one JSON document (pretty-printed or not), JSON Lines, or, for
 * formats whose exports are arrays, a top-level array (also one per line). A line that is not JSON
 * is a reject of its own, with its line number; the rest of the body is still read. Numbers keep
 * their decimal text (never a double), duplicate keys are an error.
 */
final class JsonInput {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** One record: where it is, its tree, and its own bytes (for a dead letter). */
    record Item(String locator, JsonNode node, byte[] raw) {
    }

    private JsonInput() {
    }

    /**
     * @param flattenArrays whether a top-level array is a list of records (LiteLLM, Helicone, CloudEvents batch)
     */
    static void split(byte[] body, boolean flattenArrays, Consumer<Item> items, Consumer<Reject> rejects) {
        String text;
        try {
            text = text(body);
        } catch (RecordRejected e) {
            rejects.accept(new Reject(e.reason, "body", null, e.getMessage(), null));
            return;
        }
        JsonNode whole = readOne(text);
        if (whole != null) {
            if (whole.isArray() && flattenArrays) {
                for (int i = 0; i < whole.size(); i++) {
                    items.accept(new Item("item " + (i + 1), whole.get(i), bytes(whole.get(i))));
                }
            } else {
                items.accept(new Item(text.indexOf('\n') < 0 || text.strip().indexOf('\n') < 0 ? "line 1" : "document", whole,
                        text.getBytes(StandardCharsets.UTF_8)));
            }
            return;
        }
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isBlank()) {
                continue;
            }
            String locator = "line " + (n + 1);
            JsonNode node;
            try {
                node = parse(line);
            } catch (IOException e) {
                rejects.accept(new Reject(RejectReason.UNDECODABLE, locator, null, "not valid JSON: " + firstLine(e),
                        line.getBytes(StandardCharsets.UTF_8)));
                continue;
            }
            if (node.isArray() && flattenArrays) {
                for (int i = 0; i < node.size(); i++) {
                    items.accept(new Item(locator + " item " + (i + 1), node.get(i), bytes(node.get(i))));
                }
            } else {
                items.accept(new Item(locator, node, line.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** The body as UTF-8 text; a compressed or non-UTF-8 body is an unknown encoding, not JSON gone wrong. */
    static String text(byte[] body) {
        if (body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
            throw new RecordRejected(RejectReason.UNKNOWN_ENCODING, null, "the body is gzip-compressed; decompress it first");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new RecordRejected(RejectReason.UNKNOWN_ENCODING, null, "the body is not UTF-8 text");
        }
    }

    /** The whole text as one JSON value, or null when it is not exactly one. */
    private static JsonNode readOne(String text) {
        try {
            return parse(text);
        } catch (IOException e) {
            return null;
        }
    }

    static JsonNode parse(String text) throws IOException {
        try (JsonParser p = MAPPER.createParser(text)) {
            JsonNode node = MAPPER.readTree(p);
            if (node == null || node.isMissingNode()) {
                throw new IOException("no JSON value");
            }
            if (p.nextToken() != null) {
                throw new IOException("content after the first JSON value");
            }
            return node;
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException impossible) {
            throw new IllegalStateException("writing a JSON tree", impossible);
        }
    }

    private static String firstLine(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int cut = m.indexOf('\n');
        return cut < 0 ? m : m.substring(0, cut);
    }
}
