package dev.tokenledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The providers' own {@code usage} objects, each converted to our inclusive convention:
 * <ul>
 *   <li>OpenAI Chat Completions: {@code prompt_tokens} includes {@code prompt_tokens_details.cached_tokens},
 *       {@code completion_tokens} includes {@code completion_tokens_details.reasoning_tokens}: taken as they are;</li>
 *   <li>OpenAI Responses: {@code input_tokens} / {@code input_tokens_details.cached_tokens},
 *       {@code output_tokens} / {@code output_tokens_details.reasoning_tokens}: likewise;</li>
 *   <li>Anthropic Messages: {@code input_tokens} EXCLUDES {@code cache_read_input_tokens} and
 *       {@code cache_creation_input_tokens}, so they are added in; {@code cache_creation.ephemeral_1h_input_tokens}
 *       is the 1-hour part; {@code server_tool_use.web_search_requests} the web-search calls;</li>
 *   <li>Bedrock Converse: {@code inputTokens} excludes {@code cacheReadInputTokens} and
 *       {@code cacheWriteInputTokens}, so they are added in.</li>
 * </ul>
 */
final class ProviderUsage {

    private ProviderUsage() {
    }

    /** Chat Completions when it has {@code prompt_tokens} or {@code completion_tokens}, else Responses. */
    static TokenCounts openAi(JsonNode u, String at) {
        boolean chat = u.has("prompt_tokens") || u.has("completion_tokens");
        String in = chat ? "prompt_tokens" : "input_tokens";
        String out = chat ? "completion_tokens" : "output_tokens";
        String inDetails = chat ? "prompt_tokens_details" : "input_tokens_details";
        String outDetails = chat ? "completion_tokens_details" : "output_tokens_details";
        if (!u.has(in) && !u.has(out)) {
            throw new RecordRejected(RejectReason.MISSING_USAGE, at,
                    at + " has neither prompt_tokens/completion_tokens (Chat Completions) nor input_tokens/output_tokens (Responses)");
        }
        long input = Json.countOrZero(u, in, at + "." + in);
        long output = Json.countOrZero(u, out, at + "." + out);
        long cached = 0;
        JsonNode d = Json.object(u, inDetails, at + "." + inDetails);
        if (d != null) {
            cached = Json.countOrZero(d, "cached_tokens", at + "." + inDetails + ".cached_tokens");
        }
        long reasoning = 0;
        JsonNode o = Json.object(u, outDetails, at + "." + outDetails);
        if (o != null) {
            reasoning = Json.countOrZero(o, "reasoning_tokens", at + "." + outDetails + ".reasoning_tokens");
        }
        return new TokenCounts(input, cached, 0, 0, output, reasoning, 0);
    }

    static TokenCounts anthropic(JsonNode u, String at) {
        if (!u.has("input_tokens") && !u.has("output_tokens")) {
            throw new RecordRejected(RejectReason.MISSING_USAGE, at, at + " has neither input_tokens nor output_tokens");
        }
        long uncached = Json.countOrZero(u, "input_tokens", at + ".input_tokens");
        long read = Json.countOrZero(u, "cache_read_input_tokens", at + ".cache_read_input_tokens");
        Long creation = Json.count(u, "cache_creation_input_tokens", at + ".cache_creation_input_tokens", false);
        long oneHour = 0;
        JsonNode split = Json.object(u, "cache_creation", at + ".cache_creation");
        if (split != null) {
            oneHour = Json.countOrZero(split, "ephemeral_1h_input_tokens", at + ".cache_creation.ephemeral_1h_input_tokens");
            if (creation == null) {
                creation = oneHour + Json.countOrZero(split, "ephemeral_5m_input_tokens", at + ".cache_creation.ephemeral_5m_input_tokens");
            }
        }
        long written = creation == null ? 0 : creation;
        long webSearch = 0;
        JsonNode tools = Json.object(u, "server_tool_use", at + ".server_tool_use");
        if (tools != null) {
            webSearch = Json.countOrZero(tools, "web_search_requests", at + ".server_tool_use.web_search_requests");
        }
        return new TokenCounts(TokenCounts.inclusiveInput(uncached, read, written, at + ".input_tokens"), read, written, oneHour,
                Json.countOrZero(u, "output_tokens", at + ".output_tokens"), 0,
                TokenCounts.calls(webSearch, at + ".server_tool_use.web_search_requests"));
    }

    static TokenCounts bedrock(JsonNode u, String at) {
        if (!u.has("inputTokens") && !u.has("outputTokens")) {
            throw new RecordRejected(RejectReason.MISSING_USAGE, at, at + " has neither inputTokens nor outputTokens");
        }
        long uncached = Json.countOrZero(u, "inputTokens", at + ".inputTokens");
        long read = Json.countOrZero(u, "cacheReadInputTokens", at + ".cacheReadInputTokens");
        long write = Json.countOrZero(u, "cacheWriteInputTokens", at + ".cacheWriteInputTokens");
        return new TokenCounts(TokenCounts.inclusiveInput(uncached, read, write, at + ".inputTokens"), read, write, 0,
                Json.countOrZero(u, "outputTokens", at + ".outputTokens"), 0, 0);
    }
}
