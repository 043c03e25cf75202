package dev.tokenledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.ProviderNames;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LiteLLM's {@code StandardLoggingPayload} (what its generic API callback posts: one object or a
 * list; also wrapped as {@code {"standard_logging_object": ...}}) and rows of its spend-log export
 * ({@code LiteLLM_SpendLogs}: {@code request_id}, {@code spend}, ...).
 *
 * <p>Token classes come from {@code metadata.usage_object} (OpenAI-shaped, inclusive:
 * {@code prompt_tokens} includes {@code prompt_tokens_details.cached_tokens} and
 * {@code cache_creation_input_tokens}); only without it do the top-level {@code prompt_tokens} /
 * {@code completion_tokens} count, and then there is no cache detail. {@code response_cost} (or
 * {@code spend}) is kept as the provider-reported cost; tokenledger prices the tokens itself.
 */
final class LiteLlmAdapter implements InputAdapter {

    @Override
    public InputFormat format() {
        return InputFormat.LITELLM;
    }

    @Override
    public AdapterResult parse(byte[] body, AttributionKeys keys) {
        AdapterRun run = new AdapterRun();
        JsonInput.split(body, true, item -> run.map(item, i -> toEvent(i.node(), keys)), run::reject);
        return run.result();
    }

    private static UsageEvent toEvent(JsonNode n, AttributionKeys keys) {
        if (!n.isObject()) {
            throw Json.wrongType("record", n, "an object");
        }
        if (n.has("standard_logging_object")) {
            n = Json.object(n, "standard_logging_object", "standard_logging_object");
            if (n == null) throw Json.missing("standard_logging_object", "standard_logging_object is null");
        }
        boolean spendLog = n.has("request_id") && !n.has("response_cost");
        String requestId = Json.requiredText(n, spendLog ? "request_id" : "id", spendLog ? "request_id" : "id");
        String model = Json.requiredText(n, "model", "model");
        String llmProvider = Json.text(n, "custom_llm_provider", "custom_llm_provider");
        if (llmProvider == null && model.indexOf('/') > 0) {
            llmProvider = model.substring(0, model.indexOf('/')); // LiteLLM's provider/model spelling
        }
        if (llmProvider == null || llmProvider.isBlank()) {
            throw Json.missing("custom_llm_provider", "custom_llm_provider is required (or a provider/model name)");
        }
        Long end = Json.epochMillis(n, "endTime", "endTime");
        Long start = Json.epochMillis(n, "startTime", "startTime");
        if (end == null && start == null) {
            throw Json.missing("endTime", "endTime (or startTime) is required");
        }
        JsonNode metadata = Json.object(n, "metadata", "metadata");
        JsonNode usage = metadata == null ? null : Json.object(metadata, "usage_object", "metadata.usage_object");
        TokenCounts tokens = usage != null ? usageObject(usage) : topLevel(n);
        BigDecimal cost = Json.decimal(n, spendLog ? "spend" : "response_cost", spendLog ? "spend" : "response_cost");
        List<String> tags = tags(n);
        Map<String, String> attributes = new HashMap<>();
        if (!tags.isEmpty()) attributes.put("litellm.request_tags", String.join(",", tags));
        String group = Json.text(n, "model_group", "model_group");
        if (group != null) attributes.put("litellm.model_group", group);
        UsageEvent.Builder b = UsageEvent.newBuilder()
                .setRequestId(requestId)
                .setTimestamp(Instant.ofEpochMilli(end != null ? end : start))
                .setGateway("litellm")
                .setProvider(ProviderNames.canonical(llmProvider))
                .setRequestModel(model.startsWith(llmProvider + "/") ? model.substring(llmProvider.length() + 1) : model)
                .setStatus(status(n))
                .setLatencyMs(end != null && start != null ? end - start : null)
                .setProviderReportedCostUsd(Json.reportedCost(cost))
                .setAttributes(attributes);
        tokens.applyTo(b);
        Map<String, String> available = new HashMap<>();
        Json.flatten(n, "", available);
        Json.flatten(metadata, "metadata.", available);
        for (String tag : tags) {
            int sep = tag.indexOf(':');
            if (sep < 0) sep = tag.indexOf('=');
            if (sep > 0) available.putIfAbsent("tag." + tag.substring(0, sep).trim(), tag.substring(sep + 1).trim());
        }
        keys.apply(InputFormat.LITELLM, available, b);
        return b.build();
    }

    private static TokenCounts usageObject(JsonNode u) {
        String at = "metadata.usage_object";
        long prompt = Json.countOrZero(u, "prompt_tokens", at + ".prompt_tokens");
        long completion = Json.countOrZero(u, "completion_tokens", at + ".completion_tokens");
        long cached = 0;
        JsonNode pd = Json.object(u, "prompt_tokens_details", at + ".prompt_tokens_details");
        if (pd != null) cached = Json.countOrZero(pd, "cached_tokens", at + ".prompt_tokens_details.cached_tokens");
        if (cached == 0) cached = Json.countOrZero(u, "cache_read_input_tokens", at + ".cache_read_input_tokens");
        long creation = Json.countOrZero(u, "cache_creation_input_tokens", at + ".cache_creation_input_tokens");
        long reasoning = 0;
        JsonNode cd = Json.object(u, "completion_tokens_details", at + ".completion_tokens_details");
        if (cd != null) reasoning = Json.countOrZero(cd, "reasoning_tokens", at + ".completion_tokens_details.reasoning_tokens");
        return new TokenCounts(prompt, cached, creation, 0, completion, reasoning, 0);
    }

    private static TokenCounts topLevel(JsonNode n) {
        if (!n.has("prompt_tokens") && !n.has("completion_tokens")) {
            throw new RecordRejected(RejectReason.MISSING_USAGE, "metadata.usage_object",
                    "no metadata.usage_object and no prompt_tokens/completion_tokens: nothing to price");
        }
        return new TokenCounts(Json.countOrZero(n, "prompt_tokens", "prompt_tokens"), 0, 0, 0,
                Json.countOrZero(n, "completion_tokens", "completion_tokens"), 0, 0);
    }

    private static String status(JsonNode n) {
        String s = Json.text(n, "status", "status");
        if (s == null || s.equals("success")) return "success";
        return s.equals("failure") ? "error" : s;
    }

    private static List<String> tags(JsonNode n) {
        JsonNode t = n.get("request_tags");
        List<String> tags = new ArrayList<>();
        if (t == null || t.isNull()) return tags;
        if (!t.isArray()) throw Json.wrongType("request_tags", t, "an array of strings");
        for (JsonNode tag : t) {
            if (!tag.isTextual()) throw Json.wrongType("request_tags[]", tag, "a string");
            tags.add(tag.asText());
        }
        return tags;
    }
}
