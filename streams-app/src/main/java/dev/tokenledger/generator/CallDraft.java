package dev.tokenledger.generator;

import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The fields of one call while the generator fills them in; reused for every call so that the
 * only allocations per event are the event itself, its ids, its timestamp and boxed numbers.
 */
final class CallDraft {

    String requestId;
    String retryOf;
    int attempt;
    Instant timestamp;
    String gateway;
    Model model;
    String serviceTier;
    boolean batch;
    long inputTokens;
    long cacheReadTokens;
    long cacheCreationTokens;
    long cacheCreation1hTokens;
    long outputTokens;
    long reasoningTokens;
    int webSearchCalls;
    String status;
    Long latencyMillis;
    BigDecimal providerReportedCost;
    String team;
    String feature;
    String environment;
    String customerId;
    String workload;
    String apiKeyId;
    String agentRunId;
    String taskId;
    String conversationId;
    Map<String, String> attributes;

    void reset() {
        requestId = null;
        retryOf = null;
        attempt = 1;
        timestamp = null;
        gateway = null;
        model = null;
        serviceTier = "standard";
        batch = false;
        inputTokens = 0;
        cacheReadTokens = 0;
        cacheCreationTokens = 0;
        cacheCreation1hTokens = 0;
        outputTokens = 0;
        reasoningTokens = 0;
        webSearchCalls = 0;
        status = "success";
        latencyMillis = null;
        providerReportedCost = null;
        team = null;
        feature = null;
        environment = null;
        customerId = null;
        workload = null;
        apiKeyId = null;
        agentRunId = null;
        taskId = null;
        conversationId = null;
        attributes = Map.of();
    }

    /** Starts a retry of {@code first}: same caller and model; tokens, outcome and ids are for the caller to set. */
    void loadRetryOf(UsageEvent first, Model sameModel) {
        reset();
        retryOf = first.getRetryOf() != null ? first.getRetryOf() : first.getRequestId();
        gateway = first.getGateway();
        model = sameModel;
        serviceTier = first.getServiceTier();
        batch = first.getBatch();
        team = first.getTeam();
        feature = first.getFeature();
        environment = first.getEnvironment();
        customerId = first.getCustomerId();
        workload = first.getWorkload();
        apiKeyId = first.getApiKeyId();
        agentRunId = first.getAgentRunId();
        taskId = first.getTaskId();
        conversationId = first.getConversationId();
        attributes = first.getAttributes();
    }

    UsageEvent toEvent() {
        return new UsageEvent(requestId, retryOf, attempt, timestamp, gateway, model.provider(), model.requestModel(),
                model.responseModel(), model.region(), serviceTier, batch, inputTokens, cacheReadTokens,
                cacheCreationTokens, cacheCreation1hTokens, outputTokens, reasoningTokens, webSearchCalls, status,
                latencyMillis, providerReportedCost, team, feature, environment, customerId, workload, apiKeyId,
                agentRunId, taskId, conversationId, attributes);
    }
}
