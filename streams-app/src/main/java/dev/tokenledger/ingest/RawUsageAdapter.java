package dev.tokenledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.ProviderNames;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A provider's raw {@code usage} object in a small envelope (one JSON object per line, or an array):
 * <pre>{"request_id": "...", "timestamp": "2026-11-02T10:15:30Z", "model": "...", "provider": "...",
 *  "team": "...", "feature": "...", ..., "usage": {...}}</pre>
 * or the provider's whole response body ({@code id}, {@code model}, {@code usage}; OpenAI's {@code created}
 * / {@code created_at} epoch seconds stand in for {@code timestamp}). The envelope takes every optional
 * field of our own event under its own name (gateway, region, service_tier, status, latency_ms,
 * attributes, agent_run_id, task_id, conversation_id, ...). docs/ingest.md has the table.
 */
final class RawUsageAdapter implements InputAdapter {

    private final InputFormat format;

    RawUsageAdapter(InputFormat format) {
        this.format = format;
    }

    @Override
    public InputFormat format() {
        return format;
    }

    @Override
    public AdapterResult parse(byte[] body, AttributionKeys keys) {
        AdapterRun run = new AdapterRun();
        JsonInput.split(body, true, item -> run.map(item, i -> toEvent(format, i.node(), keys)), run::reject);
        return run.result();
    }

    private static UsageEvent toEvent(InputFormat format, JsonNode n, AttributionKeys keys) {
        if (!n.isObject()) {
            throw Json.wrongType("record", n, "an object");
        }
        JsonNode usage = n.get("usage");
        if (usage == null || usage.isNull()) {
            throw new RecordRejected(RejectReason.MISSING_USAGE, "usage", "the record has no usage object");
        }
        if (!usage.isObject()) {
            throw Json.wrongType("usage", usage, "an object");
        }
        TokenCounts tokens = switch (format) {
            case OPENAI_USAGE -> ProviderUsage.openAi(usage, "usage");
            case ANTHROPIC_USAGE -> ProviderUsage.anthropic(usage, "usage");
            case BEDROCK_USAGE -> ProviderUsage.bedrock(usage, "usage");
            default -> throw new IllegalStateException(format + " is not a raw usage format");
        };
        String requestId = Json.idText(n, "request_id", "request_id");
        if (requestId == null) {
            requestId = Json.idText(n, "id", "id");
        }
        if (requestId == null || requestId.isBlank()) {
            throw Json.missing("request_id", "request_id (or the response's id) is required");
        }
        String model = Json.text(n, "model", "model");
        if (model == null) {
            model = Json.text(n, "request_model", "request_model");
        }
        if (model == null || model.isBlank()) {
            throw Json.missing("model", "model is required");
        }
        Long at = Json.epochMillis(n, "timestamp", "timestamp");
        if (at == null) at = Json.epochMillis(n, "created", "created");
        if (at == null) at = Json.epochMillis(n, "created_at", "created_at");
        if (at == null) {
            throw Json.missing("timestamp", "timestamp (RFC 3339) is required; a raw usage object has none of its own");
        }
        String provider = Json.text(n, "provider", "provider");
        provider = provider == null || provider.isBlank() ? defaultProvider(format) : ProviderNames.canonical(provider);
        Map<String, String> attributes = new HashMap<>();
        JsonNode attrs = Json.object(n, "attributes", "attributes");
        if (attrs != null) {
            attrs.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw Json.wrongType("attributes." + e.getKey(), e.getValue(), "a string");
                }
                attributes.put(e.getKey(), e.getValue().asText());
            });
        }
        UsageEvent.Builder b = UsageEvent.newBuilder()
                .setRequestId(requestId)
                .setRetryOf(Json.text(n, "retry_of", "retry_of"))
                .setTimestamp(Instant.ofEpochMilli(at))
                .setGateway(Json.text(n, "gateway", "gateway"))
                .setProvider(provider)
                .setRequestModel(model)
                .setResponseModel(Json.text(n, "response_model", "response_model"))
                .setRegion(Json.text(n, "region", "region"))
                .setServiceTier(tier(Json.text(n, "service_tier", "service_tier")))
                .setAgentRunId(Json.text(n, "agent_run_id", "agent_run_id"))
                .setTaskId(Json.text(n, "task_id", "task_id"))
                .setConversationId(Json.text(n, "conversation_id", "conversation_id"))
                .setAttributes(attributes);
        Long attempt = Json.count(n, "attempt", "attempt", false);
        if (attempt != null) b.setAttempt(TokenCounts.calls(attempt, "attempt"));
        if (Json.present(n, "batch")) {
            if (!n.get("batch").isBoolean()) throw Json.wrongType("batch", n.get("batch"), "true or false");
            b.setBatch(n.get("batch").asBoolean());
        }
        String status = Json.text(n, "status", "status");
        if (status != null) b.setStatus(status);
        Long latency = Json.count(n, "latency_ms", "latency_ms", false);
        JsonNode metrics = Json.object(n, "metrics", "metrics");
        if (latency == null && metrics != null) latency = Json.count(metrics, "latencyMs", "metrics.latencyMs", false);
        b.setLatencyMs(latency);
        b.setProviderReportedCostUsd(Json.reportedCost(Json.decimal(n, "provider_reported_cost_usd", "provider_reported_cost_usd")));
        tokens.applyTo(b);
        Map<String, String> available = new HashMap<>();
        Json.flatten(n, "", available);
        attributes.forEach((k, v) -> available.put("attributes." + k, v));
        keys.apply(format, available, b);
        return b.build();
    }

    private static String defaultProvider(InputFormat format) {
        return switch (format) {
            case ANTHROPIC_USAGE -> ProviderNames.ANTHROPIC;
            case BEDROCK_USAGE -> ProviderNames.AWS_BEDROCK;
            default -> ProviderNames.OPENAI;
        };
    }

    /** Our tiers as they are; OpenAI's {@code default}, {@code auto} and {@code scale} are standard pricing. */
    static String tier(String tier) {
        if (tier == null) return "standard";
        return switch (tier) {
            case "default", "auto", "scale" -> "standard";
            default -> tier;
        };
    }
}
