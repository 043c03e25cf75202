package dev.tokenledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.ProviderNames;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Portkey's log export (JSON Lines, one row per request: {@code created_at}, {@code ai_org},
 * {@code ai_model}, {@code req_units}, {@code res_units}, {@code cost}, {@code is_success},
 * {@code response_time}, {@code metadata}, ...). Portkey's {@code cost} is in US CENTS: it is moved two
 * places to dollars, exactly. The units are taken as inclusive input and output tokens; when the row
 * carries {@code response.body.usage} (OpenAI-shaped), its cached and reasoning details are used.
 */
final class PortkeyAdapter implements InputAdapter {

    @Override
    public InputFormat format() {
        return InputFormat.PORTKEY;
    }

    @Override
    public AdapterResult parse(byte[] body, AttributionKeys keys) {
        AdapterRun run = new AdapterRun();
        JsonInput.split(body, true, item -> run.map(item, i -> toEvent(i.node(), keys)), run::reject);
        return run.result();
    }

    private static UsageEvent toEvent(JsonNode n, AttributionKeys keys) {
        if (!n.isObject()) throw Json.wrongType("record", n, "an object");
        String requestId = Json.idText(n, "id", "id");
        if (requestId == null) requestId = Json.text(n, "request_id", "request_id");
        if (requestId == null || requestId.isBlank()) throw Json.missing("id", "id is required");
        String org = Json.requiredText(n, "ai_org", "ai_org");
        String model = Json.requiredText(n, "ai_model", "ai_model");
        Long at = Json.epochMillis(n, "created_at", "created_at");
        if (at == null) throw Json.missing("created_at", "created_at is required");
        if (!n.has("req_units") && !n.has("res_units")) {
            throw new RecordRejected(RejectReason.MISSING_USAGE, "req_units", "no req_units or res_units: nothing to price");
        }
        long cached = 0;
        long reasoning = 0;
        JsonNode usage = responseUsage(n);
        if (usage != null) {
            JsonNode pd = Json.object(usage, "prompt_tokens_details", "response.body.usage.prompt_tokens_details");
            if (pd != null) cached = Json.countOrZero(pd, "cached_tokens", "response.body.usage.prompt_tokens_details.cached_tokens");
            JsonNode cd = Json.object(usage, "completion_tokens_details", "response.body.usage.completion_tokens_details");
            if (cd != null) reasoning = Json.countOrZero(cd, "reasoning_tokens", "response.body.usage.completion_tokens_details.reasoning_tokens");
        }
        TokenCounts tokens = new TokenCounts(Json.countOrZero(n, "req_units", "req_units"), cached, 0, 0,
                Json.countOrZero(n, "res_units", "res_units"), reasoning, 0);
        String currency = Json.text(n, "cost_currency", "cost_currency");
        if (currency != null && !currency.equalsIgnoreCase("USD")) {
            throw new RecordRejected(RejectReason.INVALID_VALUE, "cost_currency", "cost_currency " + currency + " is not USD");
        }
        BigDecimal cents = Json.decimal(n, "cost", "cost");
        JsonNode success = n.get("is_success");
        boolean ok = success == null || success.isNull() || success.asText().equals("1") || success.asText().equalsIgnoreCase("true");
        UsageEvent.Builder b = UsageEvent.newBuilder()
                .setRequestId(requestId)
                .setTimestamp(Instant.ofEpochMilli(at))
                .setGateway("portkey")
                .setProvider(ProviderNames.canonical(org.toLowerCase(Locale.ROOT)))
                .setRequestModel(model)
                .setStatus(ok ? "success" : "error")
                .setLatencyMs(Json.count(n, "response_time", "response_time", false))
                .setProviderReportedCostUsd(cents == null ? null : Json.reportedCost(cents.movePointLeft(2)))
                .setAttributes(new HashMap<>());
        tokens.applyTo(b);
        Map<String, String> available = new HashMap<>();
        Json.flatten(n, "", available);
        Json.flatten(metadata(n), "metadata.", available);
        keys.apply(InputFormat.PORTKEY, available, b);
        return b.build();
    }

    /** {@code metadata}: an object, or the JSON text of one (as some exports write it). */
    private static JsonNode metadata(JsonNode n) {
        JsonNode m = n.get("metadata");
        if (m == null || m.isNull()) return null;
        if (m.isTextual()) {
            try {
                m = JsonInput.parse(m.asText());
            } catch (IOException e) {
                throw new RecordRejected(RejectReason.UNDECODABLE, "metadata", "metadata is a string but not JSON");
            }
        }
        if (!m.isObject()) throw Json.wrongType("metadata", m, "an object");
        return m;
    }

    /** {@code response.body.usage}, nested or under the dotted column name {@code response.body}. */
    private static JsonNode responseUsage(JsonNode n) {
        JsonNode body = n.get("response.body");
        if (body == null) {
            JsonNode response = n.get("response");
            body = response != null && response.isObject() ? response.get("body") : null;
        }
        if (body == null || !body.isObject()) return null;
        return Json.object(body, "usage", "response.body.usage");
    }
}
