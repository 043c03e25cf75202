package dev.tokenledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.validate.ParseResult;
import dev.tokenledger.validate.UsageEventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * CloudEvents 1.0 in structured mode ({@code application/cloudevents+json}: one event per document or
 * line) and batch mode ({@code application/cloudevents-batch+json}: an array), each carrying one of our
 * own usage events in {@code data} (or {@code data_base64}). The event's identity is {@code (source, id)},
 * so {@code request_id} becomes {@code source#id}: a producer that resends the same CloudEvent is
 * deduplicated however it filled the data. A data event without {@code timestamp} takes the CloudEvent's {@code time}.
 */
final class CloudEventsAdapter implements InputAdapter {

    @Override
    public InputFormat format() {
        return InputFormat.CLOUDEVENTS;
    }

    @Override
    public AdapterResult parse(byte[] body, AttributionKeys keys) {
        AdapterRun run = new AdapterRun();
        JsonInput.split(body, true, item -> run.map(item.locator(), item.raw(), () -> {
            ObjectNode data = data(item.node());
            ParseResult parsed = UsageEventJson.parse(JsonInput.bytes(data));
            if (!parsed.isValid()) {
                throw RecordRejected.of(parsed.violations());
            }
            return parsed.event();
        }), run::reject);
        return run.result();
    }

    /** The native event in {@code data}, with {@code request_id} from {@code (source, id)}. */
    private static ObjectNode data(JsonNode ce) {
        if (!ce.isObject()) {
            throw Json.wrongType("event", ce, "a CloudEvent object");
        }
        JsonNode version = ce.get("specversion");
        if (version == null || version.isNull()) {
            throw Json.missing("specversion", "specversion is required (1.0)");
        }
        if (!version.isTextual() || !version.asText().equals("1.0")) {
            throw new RecordRejected(RejectReason.INVALID_VALUE, "specversion",
                    "specversion " + version + " is not supported; this adapter reads CloudEvents 1.0");
        }
        String id = Json.requiredText(ce, "id", "id");
        String source = Json.requiredText(ce, "source", "source");
        String contentType = Json.text(ce, "datacontenttype", "datacontenttype");
        if (contentType != null && !isJson(contentType)) {
            throw new RecordRejected(RejectReason.UNKNOWN_ENCODING, "datacontenttype",
                    "datacontenttype '" + contentType + "' is not JSON; data must be a tokenledger usage event in JSON");
        }
        JsonNode data = ce.get("data");
        if ((data == null || data.isNull()) && Json.present(ce, "data_base64")) {
            data = decodeBase64(ce.get("data_base64"));
        }
        if (data == null || data.isNull()) {
            throw Json.missing("data", "data (or data_base64) holding the usage event is required");
        }
        if (!data.isObject()) {
            throw Json.wrongType("data", data, "a usage event object");
        }
        ObjectNode event = ((ObjectNode) data).deepCopy();
        event.put("request_id", source + "#" + id);
        if (!event.hasNonNull("timestamp") && Json.present(ce, "time")) {
            event.set("timestamp", ce.get("time"));
        }
        return event;
    }

    private static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.endsWith("+json");
    }

    private static JsonNode decodeBase64(JsonNode encoded) {
        if (!encoded.isTextual()) {
            throw Json.wrongType("data_base64", encoded, "a base64 string");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.asText().trim());
        } catch (IllegalArgumentException e) {
            throw new RecordRejected(RejectReason.UNKNOWN_ENCODING, "data_base64", "data_base64 is not base64: " + e.getMessage());
        }
        try {
            return JsonInput.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RecordRejected(RejectReason.UNDECODABLE, "data_base64", "data_base64 does not decode to JSON");
        }
    }
}
