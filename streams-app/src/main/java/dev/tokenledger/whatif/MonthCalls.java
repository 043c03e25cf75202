package dev.tokenledger.whatif;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a UTC month's actual calls from llm_usage_priced, the per-event priced sink: the {@code event_*} columns
 * rebuild the usage event (all but its free {@code attributes} map, which the sink drops and pricing never reads),
 * {@code attribution_feature} is the feature the call counts for, {@code cost_total} what it cost. Rows are streamed,
 * so a month of any size is read in constant memory.
 */
public final class MonthCalls {

    private static final int FETCH_SIZE = 2_000;

    private static final String SQL = """
            select request_id, event_retry_of, event_attempt, event_timestamp, event_gateway, event_provider,
                   event_request_model, event_response_model, event_region, event_service_tier, event_batch,
                   event_input_tokens, event_cache_read_input_tokens, event_cache_creation_input_tokens,
                   event_cache_creation_1h_input_tokens, event_output_tokens, event_reasoning_output_tokens,
                   event_web_search_calls, event_status, event_latency_ms, event_provider_reported_cost_usd,
                   event_team, event_feature, event_environment, event_customer_id, event_workload, event_api_key_id,
                   event_agent_run_id, event_task_id, event_conversation_id, attribution_feature, cost_total
            from llm_usage_priced
            where event_timestamp >= ? and event_timestamp < ?
            order by request_id""";

    private MonthCalls() {
    }

    /** Hands every call of the month to {@code sink}; returns how many there were. */
    public static long read(Connection connection, YearMonth month, Consumer<MonthCall> sink) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        // PostgreSQL streams a result set only inside a transaction with a fetch size.
        connection.setAutoCommit(false);
        long count = 0;
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setTimestamp(1, Timestamp.from(month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
            statement.setTimestamp(2, Timestamp.from(month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    sink.accept(call(r));
                    count++;
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
        return count;
    }

    private static MonthCall call(ResultSet r) throws SQLException {
        long latency = r.getLong("event_latency_ms");
        Long latencyMs = r.wasNull() ? null : latency;
        UsageEvent event = UsageEvent.newBuilder()
                .setRequestId(r.getString("request_id"))
                .setRetryOf(r.getString("event_retry_of"))
                .setAttempt(r.getInt("event_attempt"))
                .setTimestamp(r.getTimestamp("event_timestamp").toInstant())
                .setGateway(r.getString("event_gateway"))
                .setProvider(r.getString("event_provider"))
                .setRequestModel(r.getString("event_request_model"))
                .setResponseModel(r.getString("event_response_model"))
                .setRegion(r.getString("event_region"))
                .setServiceTier(r.getString("event_service_tier"))
                .setBatch(r.getBoolean("event_batch"))
                .setInputTokens(r.getLong("event_input_tokens"))
                .setCacheReadInputTokens(r.getLong("event_cache_read_input_tokens"))
                .setCacheCreationInputTokens(r.getLong("event_cache_creation_input_tokens"))
                .setCacheCreation1hInputTokens(r.getLong("event_cache_creation_1h_input_tokens"))
                .setOutputTokens(r.getLong("event_output_tokens"))
                .setReasoningOutputTokens(r.getLong("event_reasoning_output_tokens"))
                .setWebSearchCalls(r.getInt("event_web_search_calls"))
                .setStatus(r.getString("event_status"))
                .setLatencyMs(latencyMs)
                .setProviderReportedCostUsd(r.getBigDecimal("event_provider_reported_cost_usd"))
                .setTeam(r.getString("event_team"))
                .setFeature(r.getString("event_feature"))
                .setEnvironment(r.getString("event_environment"))
                .setCustomerId(r.getString("event_customer_id"))
                .setWorkload(r.getString("event_workload"))
                .setApiKeyId(r.getString("event_api_key_id"))
                .setAgentRunId(r.getString("event_agent_run_id"))
                .setTaskId(r.getString("event_task_id"))
                .setConversationId(r.getString("event_conversation_id"))
                .setAttributes(Map.of())
                .build();
        BigDecimal cost = r.getBigDecimal("cost_total");
        return new MonthCall(event, r.getString("attribution_feature"), Money.of(cost));
    }

    /** The month's final tasks per feature and primary model, from v_task_results. */
    public static TaskOutcomes taskOutcomes(Connection connection, YearMonth month) throws SQLException {
        TaskOutcomes outcomes = new TaskOutcomes();
        try (PreparedStatement statement = connection.prepareStatement("""
                select feature, model,
                       count(*) filter (where outcome in ('success', 'failure', 'abandoned')) as known,
                       count(*) filter (where outcome = 'success')                           as successes
                from v_task_results
                where month = ?
                group by feature, model""")) {
            statement.setObject(1, month.atDay(1));
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    outcomes.add(r.getString("feature"), r.getString("model"), r.getLong("known"), r.getLong("successes"));
                }
            }
        }
        return outcomes;
    }

    /** The latest UTC month with calls, else the current one. */
    public static YearMonth latestMonth(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select max(date_trunc('month', event_timestamp at time zone 'UTC'))::date from llm_usage_priced");
             ResultSet r = statement.executeQuery()) {
            if (r.next() && r.getDate(1) != null) {
                return YearMonth.from(r.getDate(1).toLocalDate());
            }
        }
        return YearMonth.now(ZoneOffset.UTC);
    }

    /** The latest month with revenue (the margin report's default month), else the current one. */
    public static YearMonth latestRevenueMonth(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select max(month) from feature_revenue");
             ResultSet r = statement.executeQuery()) {
            if (r.next() && r.getDate(1) != null) {
                return YearMonth.from(r.getDate(1).toLocalDate());
            }
        }
        return YearMonth.now(ZoneOffset.UTC);
    }
}
