package dev.tokenledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.ProviderNames;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Helicone's request export (its export tool's JSON array or JSON Lines, the rows of its request
 * query API). Helicone counts {@code prompt_tokens} WITHOUT {@code prompt_cache_read_tokens} and
 * {@code prompt_cache_write_tokens} (its own totals add the three), so they are added in;
 * {@code completion_tokens} includes reasoning. {@code cost} (or {@code costUSD}) is USD.
 */
final class HeliconeAdapter implements InputAdapter {

    @Override
    public InputFormat format() {
        return InputFormat.HELICONE;
    }

    @Override
    public AdapterResult parse(byte[] body, AttributionKeys keys) {
        AdapterRun run = new AdapterRun();
        JsonInput.split(body, true, item -> run.map(item, i -> toEvent(i.node(), keys)), run::reject);
        return run.result();
    }

    private static UsageEvent toEvent(JsonNode n, AttributionKeys keys) {
        if (!n.isObject()) throw Json.wrongType("record", n, "an object");
        String requestId = Json.requiredText(n, "request_id", "request_id");
        String model = Json.text(n, "request_model", "request_model");
        if (model == null) model = Json.text(n, "model", "model");
        if (model == null || model.isBlank()) throw Json.missing("request_model", "request_model (or model) is required");
        String provider = Json.requiredText(n, "provider", "provider");
        Long created = Json.epochMillis(n, "request_created_at", "request_created_at");
        Long responded = Json.epochMillis(n, "response_created_at", "response_created_at");
        if (created == null && responded == null) {
            throw Json.missing("request_created_at", "request_created_at (or response_created_at) is required");
        }
        if (!n.has("prompt_tokens") && !n.has("completion_tokens")) {
            throw new RecordRejected(RejectReason.MISSING_USAGE, "prompt_tokens", "no prompt_tokens or completion_tokens: nothing to price");
        }
        long read = Json.countOrZero(n, "prompt_cache_read_tokens", "prompt_cache_read_tokens");
        long write = Json.countOrZero(n, "prompt_cache_write_tokens", "prompt_cache_write_tokens");
        TokenCounts tokens = new TokenCounts(
                TokenCounts.inclusiveInput(Json.countOrZero(n, "prompt_tokens", "prompt_tokens"), read, write, "prompt_tokens"),
                read, write, 0, Json.countOrZero(n, "completion_tokens", "completion_tokens"),
                Json.countOrZero(n, "reasoning_tokens", "reasoning_tokens"), 0);
        BigDecimal cost = Json.decimal(n, "cost", "cost");
        if (cost == null) cost = Json.decimal(n, "costUSD", "costUSD");
        Long status = Json.count(n, "response_status", "response_status", false);
        Long latency = Json.count(n, "delay_ms", "delay_ms", false);
        if (latency == null && created != null && responded != null) latency = responded - created;
        UsageEvent.Builder b = UsageEvent.newBuilder()
                .setRequestId(requestId)
                .setTimestamp(Instant.ofEpochMilli(responded != null ? responded : created))
                .setGateway("helicone")
                .setProvider(ProviderNames.canonical(provider.toLowerCase(Locale.ROOT)))
                .setRequestModel(model)
                .setResponseModel(Json.text(n, "response_model", "response_model"))
                .setStatus(status == null || (status >= 200 && status < 300) ? "success" : "error")
                .setLatencyMs(latency)
                .setProviderReportedCostUsd(Json.reportedCost(cost))
                .setAttributes(new HashMap<>());
        tokens.applyTo(b);
        Map<String, String> available = new HashMap<>();
        Json.flatten(Json.object(n, "request_properties", "request_properties"), "properties.", available);
        String user = Json.text(n, "request_user_id", "request_user_id");
        if (user != null) available.put("user_id", user);
        keys.apply(InputFormat.HELICONE, available, b);
        return b.build();
    }
}
