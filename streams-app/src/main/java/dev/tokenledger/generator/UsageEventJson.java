package dev.tokenledger.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.UsageEvent;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A usage event as producers without a schema registry write it to {@code llm.usage.json.v1}:
 * the Avro field names, the timestamp as an RFC 3339 string, decimals as strings, absent optional
 * fields left out.
 */
public final class UsageEventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private UsageEventJson() {
    }

    public static byte[] toBytes(UsageEvent event) {
        return toBytes(toTree(event));
    }

    public static ObjectNode toTree(UsageEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("request_id", event.getRequestId());
        putIfPresent(node, "retry_of", event.getRetryOf());
        node.put("attempt", event.getAttempt());
        node.put("timestamp", event.getTimestamp().toString());
        putIfPresent(node, "gateway", event.getGateway());
        node.put("provider", event.getProvider());
        node.put("request_model", event.getRequestModel());
        putIfPresent(node, "response_model", event.getResponseModel());
        putIfPresent(node, "region", event.getRegion());
        node.put("service_tier", event.getServiceTier());
        node.put("batch", event.getBatch());
        node.put("input_tokens", event.getInputTokens());
        node.put("cache_read_input_tokens", event.getCacheReadInputTokens());
        node.put("cache_creation_input_tokens", event.getCacheCreationInputTokens());
        node.put("cache_creation_1h_input_tokens", event.getCacheCreation1hInputTokens());
        node.put("output_tokens", event.getOutputTokens());
        node.put("reasoning_output_tokens", event.getReasoningOutputTokens());
        node.put("web_search_calls", event.getWebSearchCalls());
        node.put("status", event.getStatus());
        if (event.getLatencyMs() != null) {
            node.put("latency_ms", event.getLatencyMs());
        }
        if (event.getProviderReportedCostUsd() != null) {
            node.put("provider_reported_cost_usd", event.getProviderReportedCostUsd().toPlainString());
        }
        putIfPresent(node, "team", event.getTeam());
        putIfPresent(node, "feature", event.getFeature());
        putIfPresent(node, "environment", event.getEnvironment());
        putIfPresent(node, "customer_id", event.getCustomerId());
        putIfPresent(node, "workload", event.getWorkload());
        putIfPresent(node, "api_key_id", event.getApiKeyId());
        putIfPresent(node, "agent_run_id", event.getAgentRunId());
        putIfPresent(node, "task_id", event.getTaskId());
        putIfPresent(node, "conversation_id", event.getConversationId());
        ObjectNode attributes = node.putObject("attributes");
        for (Map.Entry<String, String> entry : event.getAttributes().entrySet()) {
            attributes.put(entry.getKey(), entry.getValue());
        }
        return node;
    }

    static byte[] toBytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
