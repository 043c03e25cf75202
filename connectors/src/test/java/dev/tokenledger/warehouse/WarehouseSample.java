package dev.tokenledger.warehouse;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;

/**
 * A small known dataset for March 2026 whose answers are worked out by hand in the tests.
 *
 * <p>Daily rollups (all provider openai, model gpt-x):
 * <pre>
 * day         team    feature  customer  env         requests  cost_total        of which fees
 * 2026-03-01  search  answer   c1        production  10        60.000000000000   0
 * 2026-03-02  search  answer   c2        production   5        20.000000000000   2
 * 2026-03-02  growth  summary  c1        production   3        14.999999999999   0
 * 2026-03-03  growth  summary  -         eval         2         5.000000000001   0
 * </pre>
 * March total 100: search 80, growth 20; answer 80, summary 20; c1 75, c2 20, '-' 5.
 * Also an hourly row duplicating 2026-03-01 (must not count) and an April daily row (another month).
 *
 * <p>Priced events (for variance, unallocated and workload budgets):
 * <pre>
 * id  time              provider   model     cost  reported  flags           attribution                 env
 * r1  2026-03-02 10:00  openai     gpt-x     1     0.99      -               tagged search/answer        production  workload chat
 * r2  2026-03-02 11:00  openai     gpt-x     2     -         -               default platform/unattributed production
 * r3  2026-03-02 12:00  openai     gpt-x     0.5   0.5       -               tagged growth/summary       eval
 * r4  2026-03-02 13:00  anthropic  claude-x  3     2.5       -               tagged search/answer        production
 * r5  2026-03-03 09:00  openai     gpt-y     0     1.2       unpriced        default platform/unattributed production
 * r6  2026-03-03 10:00  anthropic  claude-x  1     1.5       batch_fallback  tagged search/copilot       internal
 * r7  2026-03-04 08:00  openai     gpt-x     1     -         -               default platform/unattributed production
 * </pre>
 *
 * <p>Task results (all March unless said) and untasked lines; task 5.1 + untasked 3.4 = the 8.5 of the priced events:
 * <pre>
 * task  feature  primary   mix              outcome    calls  cost  late calls/cost  wasted  value  day
 * a1    answer   gpt-x     gpt-x            success    2      0.5   -                0.1     2      03-02
 * a2    answer   gpt-x     gpt-x            failure    2      0.5   -                0.5     -      03-02
 * a3    answer   gpt-x     gpt-x            abandoned  1      0.25  1 / 0.25         0.25    -      03-03
 * a4    answer   gpt-x     gpt-x            unknown    1      0.5   -                0       -      03-03
 * b1    answer   claude-x  claude-x         success    1      1.2   -                0       6      03-02
 * b2    answer   claude-x  claude-x+gpt-x   success    2      1.4   -                0       -      03-02
 * s1    summary  gpt-x     gpt-x            success    1      0.5   -                0       -      03-02
 * o1    answer   -         -                orphan     0      0     -                0       -      03-04
 * p1    summary  gpt-x     gpt-x            success    1      7     -                0       -      04-01
 * untasked: unattributed 03-02 p0 1 call 2; unattributed 03-04 p1 1 call 1; copilot 03-03 p0 1 call 0.4
 * </pre>
 * So answer: gpt-x 1.5 per success (2.0 / 7 calls), claude-x 1.3 (2.6 / 3 calls): dearer per call, cheaper per success.
 *
 * <p>Budget statuses (what the gateway was told for March): team growth hard, downgrade:gpt-x-mini at 20;
 * customer c2 soft, alert at 19.99 (from before its last call).
 */
final class WarehouseSample {

    static final Instant MARCH_1 = Instant.parse("2026-03-01T00:00:00Z");

    private WarehouseSample() {
    }

    record Rollup(String granularity, Instant windowStart, String team, String feature, String customerId,
                  String environment, long requests, BigDecimal costTotal, BigDecimal costFees) {

        static Rollup daily(String day, String team, String feature, String customerId, String environment,
                            long requests, String costTotal, String costFees) {
            return new Rollup("daily", Instant.parse(day + "T00:00:00Z"), team, feature, customerId, environment,
                    requests, new BigDecimal(costTotal), new BigDecimal(costFees));
        }

        Rollup withCost(String total) {
            return new Rollup(granularity, windowStart, team, feature, customerId, environment, requests,
                    new BigDecimal(total), costFees);
        }
    }

    static final List<Rollup> MARCH_DAILY = List.of(
            Rollup.daily("2026-03-01", "search", "answer", "c1", "production", 10, "60.000000000000", "0"),
            Rollup.daily("2026-03-02", "search", "answer", "c2", "production", 5, "20.000000000000", "2.000000000000"),
            Rollup.daily("2026-03-02", "growth", "summary", "c1", "production", 3, "14.999999999999", "0"),
            Rollup.daily("2026-03-03", "growth", "summary", "-", "eval", 2, "5.000000000001", "0"));

    static final Rollup MARCH_1_HOURLY = new Rollup("hourly", Instant.parse("2026-03-01T10:00:00Z"), "search",
            "answer", "c1", "production", 10, new BigDecimal("60.000000000000"), BigDecimal.ZERO);

    static final Rollup APRIL_DAILY =
            Rollup.daily("2026-04-01", "search", "answer", "c1", "production", 1, "7.000000000000", "0");

    static void load(DataSource dataSource) throws SQLException {
        loadSinked(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            revenue(connection, "answer", "2026-03-01", "400");
            revenue(connection, "summary", "2026-03-01", "25");
            revenue(connection, "ghost", "2026-03-01", "10");
        }
    }

    /** The rows the sinks would have written: some in every table a sink writes, none in feature_revenue. */
    static void loadSinked(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            for (Rollup rollup : MARCH_DAILY) {
                upsertRollup(connection, rollup);
            }
            upsertRollup(connection, MARCH_1_HOURLY);
            upsertRollup(connection, APRIL_DAILY);

            priced(connection, "r1", "2026-03-02T10:00:00Z", "openai", "gpt-x", "1", "0.99", new String[0],
                    "search", "answer", "tagged", null, "production", "chat");
            priced(connection, "r2", "2026-03-02T11:00:00Z", "openai", "gpt-x", "2", null, new String[0],
                    "platform", "unattributed", "default", "finops@example.com", "production", null);
            priced(connection, "r3", "2026-03-02T12:00:00Z", "openai", "gpt-x", "0.5", "0.5", new String[0],
                    "growth", "summary", "tagged", null, "eval", null);
            priced(connection, "r4", "2026-03-02T13:00:00Z", "anthropic", "claude-x", "3", "2.5", new String[0],
                    "search", "answer", "tagged", null, "production", null);
            priced(connection, "r5", "2026-03-03T09:00:00Z", "openai", "gpt-y", "0", "1.2", new String[] {"unpriced"},
                    "platform", "unattributed", "default", "finops@example.com", "production", null);
            priced(connection, "r6", "2026-03-03T10:00:00Z", "anthropic", "claude-x", "1", "1.5",
                    new String[] {"batch_fallback"}, "search", "copilot", "tagged", null, "internal", null);
            priced(connection, "r7", "2026-03-04T08:00:00Z", "openai", "gpt-x", "1", null, new String[0],
                    "platform", "unattributed", "default", "finops@example.com", "production", null);

            ownership(connection, "unattributed", "platform", "platform-finops");
            ownership(connection, "summary", "growth", "growth-lead");

            budget(connection, "team", "search", "monthly", "100", 80, 100, "alert", "search-lead");
            budget(connection, "team", "growth", "monthly", "16", 50, 100, "downgrade:gpt-x-mini", "growth-lead");
            budget(connection, "feature", "answer", "monthly", "1000", 80, 100, "block", "search-lead");
            budget(connection, "global", "all", "monthly", "200", 50, 90, "queue", "cfo");
            budget(connection, "customer", "c2", "monthly", "20", 80, 100, "block", "sales");
            budget(connection, "workload", "chat", "monthly", "2", 50, 100, "alert", "chat-owner");

            // What llm.budget-status.v1 last told the gateway: growth is blocked down to the mini model; c2's
            // status is from before its last call (at 19.99 it was still soft).
            status(connection, "team", "growth", "monthly", "20", "16", "hard", "downgrade:gpt-x-mini");
            status(connection, "customer", "c2", "monthly", "19.99", "20", "soft", "alert");
            task(connection, "a1", "answer", "gpt-x", "gpt-x", "success", 2, "0.5", 0, "0", "0.1", "2", "2026-03-02");
            task(connection, "a2", "answer", "gpt-x", "gpt-x", "failure", 2, "0.5", 0, "0", "0.5", null, "2026-03-02");
            task(connection, "a3", "answer", "gpt-x", "gpt-x", "abandoned", 1, "0.25", 1, "0.25", "0.25", null, "2026-03-03");
            task(connection, "a4", "answer", "gpt-x", "gpt-x", "unknown", 1, "0.5", 0, "0", "0", null, "2026-03-03");
            task(connection, "b1", "answer", "claude-x", "claude-x", "success", 1, "1.2", 0, "0", "0", "6", "2026-03-02");
            task(connection, "b2", "answer", "claude-x+gpt-x", "claude-x", "success", 2, "1.4", 0, "0", "0", null, "2026-03-02");
            task(connection, "s1", "summary", "gpt-x", "gpt-x", "success", 1, "0.5", 0, "0", "0", null, "2026-03-02");
            task(connection, "o1", "answer", "-", "-", "orphan_outcome", 0, "0", 0, "0", "0", null, "2026-03-04");
            task(connection, "p1", "summary", "gpt-x", "gpt-x", "success", 1, "7", 0, "0", "0", null, "2026-04-01");
            untasked(connection, "unattributed", "2026-03-02", 0, 1, "2");
            untasked(connection, "unattributed", "2026-03-04", 1, 1, "1");
            untasked(connection, "copilot", "2026-03-03", 0, 1, "0.4");

            // February: an anomaly and a reconciled invoice line with its month's record (March and April have none,
            // so the reports of those months are unchanged by them).
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into llm_alerts_anomaly (anomaly_id, kind, state, scope_type, scope_id, window_start, window_end,
                        detected_at, actual, expected, unit, impact_usd, severity, explanation)
                    values ('spend_spike|team|search|-|-|2026-02-10T10:00:00Z', 'spend_spike', 'resolved', 'team', 'search',
                        '2026-02-10T10:00:00Z', '2026-02-10T11:00:00Z', '2026-02-10T11:00:00Z', 9, 3, 'usd', 6, 'low',
                        'team search spend +200%')""")) {
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into llm_reconciliation (provider, month, day, model, billed_models, charge_class, derived_usd,
                        invoiced_usd, variance_usd, variance_pct, within_tolerance, cause, explained_usd, evidence,
                        derived_requests, derived_tokens, invoice_lines)
                    values ('openai', '2026-02', '2026-02-27', 'gpt-x', 'gpt-x-2026-01-01', 'output', 1, 1.2, 0.2, 16.6667,
                        false, 'stale_price', 0.2, 'from 2026-02-27 the invoice implies ...', 4, 1000, 1)""")) {
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into llm_alerts_reconciliation (provider, month, state, derived_usd, invoiced_usd, variance_usd,
                        variance_pct, tolerance_usd, explained_usd, unexplained_usd, headline, last_day)
                    values ('openai', '2026-02', 'within_tolerance', 1, 1.2, 0.2, 16.6667, 1, 0.2, 0,
                        'openai 2026-02: invoiced $1.20 vs derived $1.00', '2026-02-27')""")) {
                statement.executeUpdate();
            }

            // And the alert c2's last call raised on llm.alerts.budget.v1 (no view reads alerts).
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into llm_alerts_budget (alert_id, kind, scope_type, scope_id, period, period_start, spend,
                        budget, threshold, action, summary, event_time, raised_at)
                    values ('customer:c2:monthly:2026-03-01:hard:20', 'hard', 'customer', 'c2', 'monthly',
                        '2026-03-01T00:00:00Z', 20, 20, 20, 'block', 'customer:c2 monthly budget 20.00 USD: hard',
                        '2026-03-04T08:00:00Z', '2026-03-04T08:00:01Z')""")) {
                statement.executeUpdate();
            }
        }
    }

    /** The same statement shape the JDBC sink issues in upsert mode: insert, or replace the row with that key. */
    static void upsertRollup(Connection connection, Rollup r) throws SQLException {
        String sql = """
                insert into llm_rollups (granularity, window_start, window_end, team, feature, customer_id, environment,
                    provider, model, requests, successes, failures, retries, unpriced_requests, input_tokens,
                    uncached_input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens,
                    reasoning_output_tokens, cost_uncached_input, cost_cache_read, cost_cache_write, cost_output,
                    cost_reasoning, cost_fees, cost_total, retry_cost_usd, provider_reported_cost_usd,
                    provider_reported_requests, last_event_at)
                values (?, ?, ?, ?, ?, ?, ?, 'openai', 'gpt-x', ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ?, 0, ?, ?,
                    0, 0, 0, ?)
                on conflict (granularity, window_start, team, feature, customer_id, environment, provider, model)
                do update set requests = excluded.requests, successes = excluded.successes,
                    cost_output = excluded.cost_output, cost_fees = excluded.cost_fees,
                    cost_total = excluded.cost_total, last_event_at = excluded.last_event_at""";
        Instant end = r.windowStart().plus(r.granularity().equals("daily") ? 24 : 1, ChronoUnit.HOURS);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, r.granularity());
            statement.setTimestamp(2, Timestamp.from(r.windowStart()));
            statement.setTimestamp(3, Timestamp.from(end));
            statement.setString(4, r.team());
            statement.setString(5, r.feature());
            statement.setString(6, r.customerId());
            statement.setString(7, r.environment());
            statement.setLong(8, r.requests());
            statement.setLong(9, r.requests());
            statement.setBigDecimal(10, r.costTotal().subtract(r.costFees()));
            statement.setBigDecimal(11, r.costFees());
            statement.setBigDecimal(12, r.costTotal());
            statement.setTimestamp(13, Timestamp.from(end.minusSeconds(1)));
            statement.executeUpdate();
        }
    }

    private static void priced(Connection connection, String requestId, String time, String provider, String model,
                               String cost, String reported, String[] flags, String team, String feature,
                               String method, String owner, String environment, String workload) throws SQLException {
        String sql = """
                insert into llm_usage_priced (request_id, event_attempt, event_timestamp, event_provider,
                    event_request_model, event_service_tier, event_batch, event_input_tokens,
                    event_cache_read_input_tokens, event_cache_creation_input_tokens,
                    event_cache_creation_1h_input_tokens, event_output_tokens, event_reasoning_output_tokens,
                    event_web_search_calls, event_status, event_provider_reported_cost_usd, event_environment,
                    event_workload, billed_model, cost_uncached_input, cost_cache_read, cost_cache_write, cost_output,
                    cost_reasoning, cost_fees, cost_total, flags, attribution_team, attribution_feature,
                    attribution_owner, attribution_method, priced_at)
                values (?, 1, ?, ?, ?, 'standard', false, 100, 0, 0, 0, 10, 0, 0, 'success', ?, ?, ?, ?, ?, 0, 0, 0, 0,
                    0, ?, ?, ?, ?, ?, ?, ?)""";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Timestamp at = Timestamp.from(Instant.parse(time));
            statement.setString(1, requestId);
            statement.setTimestamp(2, at);
            statement.setString(3, provider);
            statement.setString(4, model);
            statement.setBigDecimal(5, reported == null ? null : new BigDecimal(reported));
            statement.setString(6, environment);
            statement.setString(7, workload);
            statement.setString(8, model);
            statement.setBigDecimal(9, new BigDecimal(cost));
            statement.setBigDecimal(10, new BigDecimal(cost));
            statement.setArray(11, connection.createArrayOf("text", flags));
            statement.setString(12, team);
            statement.setString(13, feature);
            statement.setString(14, owner);
            statement.setString(15, method);
            statement.setTimestamp(16, at);
            statement.executeUpdate();
        }
    }

    /** A final task as llm.task-results.v1 carries it (its calls at noon of its day). */
    static void task(Connection connection, String taskId, String feature, String mix, String primary, String outcome,
                     long calls, String cost, long lateCalls, String lateCost, String wasted, String value, String day)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into llm_task_results (task_id, feature, model_mix, primary_model, outcome, calls, failed_calls,
                    retried_calls, cost_usd, wasted_usd, value_usd, first_event_at, last_event_at, day, finalized_at,
                    duplicate_outcomes, late_calls, late_cost_usd, late_outcomes)
                values (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, (?::date + time '12:00') at time zone 'UTC',
                    (?::date + time '12:00') at time zone 'UTC', ?::date, (?::date + interval '2 days') at time zone 'UTC',
                    0, ?, ?, 0)""")) {
            statement.setString(1, taskId);
            statement.setString(2, feature);
            statement.setString(3, mix);
            statement.setString(4, primary);
            statement.setString(5, outcome);
            statement.setLong(6, calls);
            statement.setBigDecimal(7, new BigDecimal(cost));
            statement.setBigDecimal(8, new BigDecimal(wasted));
            statement.setBigDecimal(9, value == null ? null : new BigDecimal(value));
            statement.setString(10, day);
            statement.setString(11, day);
            statement.setString(12, day);
            statement.setString(13, day);
            statement.setLong(14, lateCalls);
            statement.setBigDecimal(15, new BigDecimal(lateCost));
            statement.executeUpdate();
        }
    }

    static void untasked(Connection connection, String feature, String day, int partition, long calls, String cost)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into llm_task_untasked (feature, day, partition, calls, cost_usd) values (?, ?::date, ?, ?, ?)")) {
            statement.setString(1, feature);
            statement.setString(2, day);
            statement.setInt(3, partition);
            statement.setLong(4, calls);
            statement.setBigDecimal(5, new BigDecimal(cost));
            statement.executeUpdate();
        }
    }

    private static void ownership(Connection connection, String feature, String team, String owner)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into llm_ownership (key_type, key, feature, team, owner) values ('feature', ?, ?, ?, ?)")) {
            statement.setString(1, feature);
            statement.setString(2, feature);
            statement.setString(3, team);
            statement.setString(4, owner);
            statement.executeUpdate();
        }
    }

    private static void budget(Connection connection, String scopeType, String scopeId, String period, String amount,
                               int softPct, int hardPct, String action, String owner) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into llm_budgets (scope_type, scope_id, period, amount_usd, soft_pct, hard_pct, action, owner,
                    updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, now())""")) {
            statement.setString(1, scopeType);
            statement.setString(2, scopeId);
            statement.setString(3, period);
            statement.setBigDecimal(4, new BigDecimal(amount));
            statement.setInt(5, softPct);
            statement.setInt(6, hardPct);
            statement.setString(7, action);
            statement.setString(8, owner);
            statement.executeUpdate();
        }
    }

    private static void status(Connection connection, String scopeType, String scopeId, String period, String spend,
                               String budget, String state, String action) throws SQLException {
        upsertMonthlyStatus(connection, scopeType, scopeId, "2026-03-01", spend, budget, state, action);
    }

    /** A monthly status as the JDBC sink upserts it: keyed by scope, period and the period's start. */
    static void upsertMonthlyStatus(Connection connection, String scopeType, String scopeId, String month, String spend,
                                    String budget, String state, String action) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into llm_budget_status (scope_type, scope_id, period, period_start, period_end, spend, budget,
                    soft_threshold, hard_threshold, percent, state, action, owner, updated_at)
                values (?, ?, 'monthly', ?::date at time zone 'UTC', (?::date + interval '1 month') at time zone 'UTC',
                    ?, ?, 0, ?, null, ?, ?, null, ?::date at time zone 'UTC' + interval '2 days 12 hours')
                on conflict (scope_type, scope_id, period, period_start) do update set spend = excluded.spend,
                    state = excluded.state, action = excluded.action, updated_at = excluded.updated_at""")) {
            statement.setString(1, scopeType);
            statement.setString(2, scopeId);
            statement.setString(3, month);
            statement.setString(4, month);
            statement.setBigDecimal(5, new BigDecimal(spend));
            statement.setBigDecimal(6, new BigDecimal(budget));
            statement.setBigDecimal(7, new BigDecimal(budget));
            statement.setString(8, state);
            statement.setString(9, action);
            statement.setString(10, month);
            statement.executeUpdate();
        }
    }

    private static void revenue(Connection connection, String feature, String month, String amount)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into feature_revenue (feature, month, revenue_usd) values (?, ?::date, ?)")) {
            statement.setString(1, feature);
            statement.setString(2, month);
            statement.setBigDecimal(3, new BigDecimal(amount));
            statement.executeUpdate();
        }
    }
}
