package dev.tokenledger.warehouse;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The five questions as named reports over the warehouse views. Each report is one query for one UTC month;
 * amounts come back as exact decimal strings.
 *
 * <pre>
 * Table t = Reports.run("spend", dataSource, ReportOptions.defaults().withMonth("2026-03").withBy("feature"));
 * System.out.print(TableRenderer.render(t, TableFormat.TABLE));
 * </pre>
 */
public final class Reports {

    /** Report names and what each answers, in the order of the five questions. */
    public static final Map<String, String> DESCRIPTIONS = orderedDescriptions();

    private Reports() {
    }

    private static Map<String, String> orderedDescriptions() {
        java.util.LinkedHashMap<String, String> names = new java.util.LinkedHashMap<>();
        names.put("spend", "Q1 spend in the month by team, feature, customer or customer cohort, with shares");
        names.put("budgets", "Q2 budgets against month-to-date spend: percent used, ok/soft/hard, gateway action and what it was told");
        names.put("margin", "Q3 gross margin per feature (revenue - cost) and with token volume +20%");
        names.put("variance", "Q4 derived cost vs the invoice per provider, model and charge class when one is loaded, else vs provider-reported cost");
        names.put("reconciliation", "Q4 the close: derived vs invoiced per provider, model and charge class, cause, explained, evidence; a total per provider");
        names.put("close", "Q4 the close pack (--format md|html): per provider the verdict, causes in dollars, the unexplained remainder, actions");
        names.put("unallocated", "Q5 default (untagged) and shared buckets in the month: size, share, owner");
        names.put("unallocated-daily", "Q5 the same buckets per day: share of the day, change on the day before");
        names.put("tasks", "cost per successful task by feature, model or both; untasked cost; which model is cheaper per success");
        names.put("anomalies", "cost anomalies detected in the month: kind, scope, actual vs expected, impact, drivers, state");
        names.put("forecast", "spend forecast to month or next-quarter end per product line, team, feature or cohort, with an 80% band");
        names.put("statements", "showback per team, cost_center or product_line: direct and shared cost (by the allocation rules), total, change, budget");
        return java.util.Collections.unmodifiableMap(names);
    }

    /** Runs the report called {@code name} (a key of {@link #DESCRIPTIONS}). */
    public static Table run(String name, DataSource dataSource, ReportOptions options) {
        try (Connection connection = dataSource.getConnection()) {
            return switch (name) {
                case "spend" -> spend(connection, options);
                case "budgets" -> budgets(connection, options);
                case "margin" -> margin(connection, options);
                case "variance" -> varianceAgainstInvoice(connection, options)
                        ? reconciliation(connection, options, true) : variance(connection, options);
                case "reconciliation" -> reconciliation(connection, options, false);
                case "close" -> throw new IllegalArgumentException("close is a document, not a table: use ClosePack (report close --format md|html)");
                case "unallocated" -> unallocated(connection, options);
                case "unallocated-daily" -> unallocatedDaily(connection, options);
                case "tasks" -> TaskReport.run(connection, options);
                case "anomalies" -> anomalies(connection, options);
                case "forecast" -> throw new IllegalArgumentException("forecast takes its own options: use ForecastReport");
                case "statements" -> dev.tokenledger.warehouse.statements.StatementReport.table(
                        dev.tokenledger.warehouse.statements.StatementsData.load(dataSource, options.month().orElse(null),
                                dev.tokenledger.warehouse.statements.TargetLevel.TEAM), null);
                default -> throw new IllegalArgumentException(
                        "unknown report '" + name + "', expected one of " + DESCRIPTIONS.keySet());
            };
        } catch (SQLException e) {
            throw new WarehouseException("report " + name + " failed: " + e.getMessage(), e);
        }
    }

    private static Table spend(Connection connection, ReportOptions options) throws SQLException {
        if (!ReportOptions.SPEND_DIMENSIONS.contains(options.by())) {
            throw new IllegalArgumentException("spend: unknown --by '" + options.by()
                    + "', expected team, feature, customer or cohort");
        }
        YearMonth month = month(connection, options, "select max(month) from v_rollups_daily");
        if (options.by().equals(ReportOptions.BY_COHORT)) {
            return query(connection, "spend by customer cohort, " + month, """
                    select cohort, customers, requests, spend_usd, share_pct
                    from v_spend_customer_cohorts
                    where month = ?
                    order by cohort_order""", options.top(), firstDay(month));
        }
        return query(connection, "spend by " + options.by() + ", " + month, """
                select rank, key as %s, requests, spend_usd, share_pct
                from v_spend_monthly
                where month = ? and dimension = ?
                order by rank""".formatted(options.by()), options.top(), firstDay(month), options.by());
    }

    /** Monthly budgets for the month, and daily budgets for the month's last day with data. */
    private static Table budgets(Connection connection, ReportOptions options) throws SQLException {
        YearMonth month = month(connection, options, "select max(month) from v_rollups_daily");
        return query(connection, "budgets, " + month, """
                select period, period_start, scope_type, scope_id, budget_usd, spend_usd, remaining_usd, used_pct,
                       state, gateway_action, told_state, told_action, owner
                from v_budget_position
                where (period = 'monthly' and period_start = ?)
                   or (period = 'daily' and period_start = (
                           select coalesce(max(day), ?) from v_rollups_daily where month = ?))
                order by case state when 'hard' then 0 when 'soft' then 1 else 2 end, used_pct desc nulls last,
                         scope_type, scope_id, period""",
                options.top(), firstDay(month), lastDay(month), firstDay(month));
    }

    private static Table margin(Connection connection, ReportOptions options) throws SQLException {
        YearMonth month = month(connection, options, "select max(month) from feature_revenue");
        return query(connection, "feature margin, " + month, """
                select revenue_rank as rank, feature, requests, revenue_usd, cost_usd, margin_usd, margin_pct,
                       cost_tokens_plus_20pct_usd, margin_tokens_plus_20pct_usd, margin_tokens_plus_20pct_pct
                from v_feature_margin
                where month = ?
                order by revenue_rank""", options.top(), firstDay(month));
    }

    private static Table variance(Connection connection, ReportOptions options) throws SQLException {
        YearMonth month = month(connection, options,
                "select max(date_trunc('month', day))::date from v_cost_variance_reported");
        return query(connection, "derived vs provider-reported cost, " + month, """
                select day, provider, model, requests, reported_requests, derived_cost_usd, reported_cost_usd,
                       variance_usd, variance_pct, likely_cause
                from v_cost_variance_reported
                where day between ? and ?
                order by day, provider, model""", options.top(), firstDay(month), lastDay(month));
    }

    /**
     * Question 4 compares with the invoice when the month (asked for, else the latest month with either comparison)
     * has reconciliation rows, that is when an invoice was loaded for it; else with the provider-reported cost.
     */
    private static boolean varianceAgainstInvoice(Connection connection, ReportOptions options) throws SQLException {
        YearMonth month = month(connection, options, """
                select max(m) from (
                    select max(to_date(month, 'YYYY-MM')) as m from llm_reconciliation
                    union all
                    select max(date_trunc('month', day))::date from v_cost_variance_reported) latest""");
        try (PreparedStatement statement = connection.prepareStatement(
                "select exists (select 1 from llm_reconciliation where month = ?)")) {
            statement.setString(1, month.toString());
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /**
     * One row per (provider, model, charge class) of the month with both sides, the cause that explains the most of
     * it and the evidence, then a total row per provider with its tolerance verdict.
     */
    private static Table reconciliation(Connection connection, ReportOptions options, boolean asVariance) throws SQLException {
        YearMonth month = month(connection, options, "select max(to_date(month, 'YYYY-MM')) from llm_reconciliation");
        String provider = options.provider().orElse(null);
        String title = (asVariance ? "derived vs invoiced cost (the provider invoice loaded for the month), " : "reconciliation, ")
                + month + (provider == null ? "" : ", " + provider);
        return query(connection, title, """
                select provider, model, charge_class, derived_usd, invoiced_usd, variance_usd, variance_pct, cause,
                       explained_usd, unexplained_usd, evidence
                from (
                    select provider, 0 as part, model, charge_class, derived_usd, invoiced_usd, variance_usd, variance_pct,
                           cause, explained_usd, unexplained_usd, evidence
                    from v_reconciliation_monthly
                    where month = ? and (cast(? as text) is null or provider = ?)
                    union all
                    select c.provider, 1, 'TOTAL', '', c.derived_usd, c.invoiced_usd, c.variance_usd, c.variance_pct,
                           coalesce(a.state, ''), c.explained_usd, c.unexplained_usd,
                           coalesce('tolerance ' || trim(to_char(a.tolerance_usd, 'FM999999999990.00')) || ' USD', '')
                    from v_reconciliation_close c
                    left join llm_alerts_reconciliation a on a.provider = c.provider and a.month = c.month
                    where c.month = ? and (cast(? as text) is null or c.provider = ?)
                ) rows
                order by provider, part, abs(variance_usd) desc, model, charge_class""", options.top(),
                month.toString(), provider, provider, month.toString(), provider, provider);
    }

    private static Table unallocated(Connection connection, ReportOptions options) throws SQLException {
        YearMonth month = month(connection, options, "select max(month) from v_unallocated");
        return query(connection, "unallocated and shared buckets, " + month, """
                select bucket_kind, team, feature, environment, owner, requests, spend_usd, share_of_month_pct,
                       active_days, last_day
                from v_unallocated_monthly
                where month = ?
                order by spend_usd desc, bucket_kind, team, feature, environment""", options.top(), firstDay(month));
    }

    private static Table unallocatedDaily(Connection connection, ReportOptions options) throws SQLException {
        YearMonth month = month(connection, options, "select max(month) from v_unallocated");
        return query(connection, "unallocated and shared buckets per day, " + month, """
                select day, bucket_kind, team, feature, environment, owner, spend_usd, share_of_day_pct,
                       change_usd, month_to_date_usd
                from v_unallocated
                where month = ?
                order by day, bucket_kind, team, feature, environment""", options.top(), firstDay(month));
    }

    /**
     * The month's anomalies by detection time (v_anomalies, V40); actual and expected are rounded to 6 places for
     * people (v_anomalies keeps the doubles), the impact and drivers are exact and sum to impact_usd.
     */
    private static Table anomalies(Connection connection, ReportOptions options) throws SQLException {
        YearMonth month = month(connection, options, "select max(month) from v_anomalies");
        return query(connection, "anomalies, " + month, """
                select detected_at, kind, scope_type, scope_id, feature, model,
                       round(actual::numeric, 6) as actual, round(expected::numeric, 6) as expected, unit, impact_usd,
                       volume_usd, model_mix_usd, token_shape_usd, rate_usd, severity, state, explanation
                from v_anomalies
                where month = ?
                order by detected_at, kind, scope_type, scope_id, feature nulls first, model nulls first""",
                options.top(), firstDay(month));
    }

    /** The asked month, else the latest month with data, else the current UTC month. */
    static YearMonth month(Connection connection, ReportOptions options, String latestMonthSql)
            throws SQLException {
        if (options.month().isPresent()) {
            return options.month().get();
        }
        try (PreparedStatement statement = connection.prepareStatement(latestMonthSql);
             ResultSet result = statement.executeQuery()) {
            if (result.next() && result.getDate(1) != null) {
                return YearMonth.from(result.getDate(1).toLocalDate());
            }
        }
        return YearMonth.now(ZoneOffset.UTC);
    }

    static Table query(Connection connection, String title, String sql, int top, Object... parameters)
            throws SQLException {
        String limited = top > 0 ? sql + "\nlimit " + top : sql;
        try (PreparedStatement statement = connection.prepareStatement(limited)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    columns.add(meta.getColumnLabel(c));
                }
                List<List<String>> rows = new ArrayList<>();
                while (result.next()) {
                    List<String> row = new ArrayList<>(columns.size());
                    for (int c = 1; c <= columns.size(); c++) {
                        row.add(cellText(result.getObject(c)));
                    }
                    rows.add(row);
                }
                return new Table(title, columns, rows);
            }
        }
    }

    /** Exact text for every SQL value a report returns; numeric goes through BigDecimal, never double. */
    static String cellText(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        return value.toString();
    }

    private static LocalDate firstDay(YearMonth month) {
        return month.atDay(1);
    }

    private static LocalDate lastDay(YearMonth month) {
        return month.atEndOfMonth();
    }
}
