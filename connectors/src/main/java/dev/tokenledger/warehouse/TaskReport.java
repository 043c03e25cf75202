package dev.tokenledger.warehouse;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report tasks}: cost per successful task in one UTC month, by feature, by (primary) model or by both, from
 * {@code v_tasks_monthly}; then the line of all tasks, the untasked line and the total, so that
 * total cost = task cost + untasked cost to the last digit; then, as notes, which model is cheaper per successful
 * task in each feature served by several ({@link TaskComparisons}) and how the total ties to the priced calls.
 */
final class TaskReport {

    static final String LATEST_MONTH_SQL = "select max(month) from v_task_results";

    /** Labels of the summary lines, in the first key column; parenthesised so no feature or model is mistaken for one. */
    static final String ALL_TASKS = "(all tasks)";
    static final String UNTASKED = "(untasked)";
    static final String TOTAL = "(total)";

    /** The measure columns, in the report's order, after the key columns. */
    static final List<String> MEASURES = List.of("tasks", "successful_tasks", "failed_tasks", "abandoned_tasks",
            "unknown_tasks", "orphan_outcomes", "calls_per_task", "cost_usd", "late_cost_usd", "cost_per_call_usd",
            "cost_per_successful_task_usd", "success_rate_pct", "wasted_usd", "value_per_cost");

    private TaskReport() {
    }

    static Table run(Connection connection, ReportOptions options) throws SQLException {
        String by = options.by();
        if (!ReportOptions.TASK_DIMENSIONS.contains(by)) {
            throw new IllegalArgumentException("tasks: unknown --by '" + by + "', expected feature, model or feature,model");
        }
        YearMonth month = Reports.month(connection, options, LATEST_MONTH_SQL);
        LocalDate first = month.atDay(1);
        List<String> keys = List.of(by.split(","));
        String keyList = String.join(", ", keys);
        String measures = String.join(", ", MEASURES);
        String order = keys.size() == 2 ? "feature, cost_usd desc, model" : "cost_usd desc, " + keyList;
        // The summary lines name themselves in the first key column; any second key column is null there.
        String label = keys.size() == 2 ? "%s, null::text" : "%s";
        String sql = """
                with groups as (
                    select %1$s, %2$s, row_number() over (order by %3$s) as position
                    from v_tasks_monthly
                    where month = ? and grouped_by = ?
                ), all_tasks as (
                    select coalesce(m.tasks, 0) as tasks, coalesce(m.successful_tasks, 0) as successful_tasks,
                           coalesce(m.failed_tasks, 0) as failed_tasks, coalesce(m.abandoned_tasks, 0) as abandoned_tasks,
                           coalesce(m.unknown_tasks, 0) as unknown_tasks, coalesce(m.orphan_outcomes, 0) as orphan_outcomes,
                           m.calls_per_task, coalesce(m.calls, 0) as calls,
                           coalesce(m.cost_usd, 0::numeric(38, 12)) as cost_usd,
                           coalesce(m.late_cost_usd, 0::numeric(38, 12)) as late_cost_usd,
                           m.cost_per_call_usd, m.cost_per_successful_task_usd, m.success_rate_pct,
                           coalesce(m.wasted_usd, 0::numeric(38, 12)) as wasted_usd, m.value_per_cost
                    from (select 1) one
                    left join v_tasks_monthly m on m.month = ? and m.grouped_by = 'all'
                ), untasked as (
                    select coalesce(sum(calls), 0) as calls, coalesce(sum(cost_usd), 0::numeric(38, 12)) as cost_usd
                    from v_task_untasked_daily
                    where month = ?
                )
                select %1$s, %2$s from (
                    select 0 as section, position, %1$s, %2$s from groups where ? = 0 or position <= ?
                    union all
                    select 1, 0, %4$s, %2$s from all_tasks
                    union all
                    select 2, 0, %5$s, null, null, null, null, null, null, null, cost_usd, 0::numeric(38, 12),
                           round(cost_usd / nullif(calls, 0), 12), null, null, null, null
                    from untasked
                    union all
                    select 3, 0, %6$s, a.tasks, a.successful_tasks, a.failed_tasks, a.abandoned_tasks, a.unknown_tasks,
                           a.orphan_outcomes, a.calls_per_task, a.cost_usd + u.cost_usd, a.late_cost_usd,
                           round((a.cost_usd + u.cost_usd) / nullif(a.calls + u.calls, 0), 12), null, a.success_rate_pct,
                           a.wasted_usd, null
                    from all_tasks a cross join untasked u
                ) lines
                order by section, position""".formatted(keyList, measures, order,
                label.formatted("'" + ALL_TASKS + "'"), label.formatted("'" + UNTASKED + "'"),
                label.formatted("'" + TOTAL + "'"));
        Table table = Reports.query(connection, "cost per successful task by " + by + ", " + month, sql, 0,
                first, by, first, first, options.top(), options.top());
        List<String> notes = new ArrayList<>(TaskComparisons.lines(modelsPerFeature(connection, first)));
        notes.add(tieOut(connection, first));
        return table.withNotes(notes);
    }

    /** Every (feature, model) of the month, for the comparisons, whatever the report is grouped by. */
    private static Table modelsPerFeature(Connection connection, LocalDate month) throws SQLException {
        return Reports.query(connection, "models per feature", """
                select feature, model, tasks, successful_tasks, cost_usd, cost_per_call_usd, cost_per_successful_task_usd
                from v_tasks_monthly
                where month = ? and grouped_by = 'feature,model' and model <> '-'
                order by feature, model""", 0, month);
    }

    /** Whether task + untasked cost is the cost of the month's priced calls, and if not by how much. */
    private static String tieOut(Connection connection, LocalDate month) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                select task_cost_usd, untasked_cost_usd, accounted_cost_usd, priced_cost_usd, difference_usd
                from v_task_cost_tieout where month = ?""")) {
            statement.setObject(1, month);
            try (ResultSet r = statement.executeQuery()) {
                if (!r.next()) {
                    return "no task results, untasked cost or priced calls in " + YearMonth.from(month);
                }
                return tieOutLine(r.getBigDecimal(1), r.getBigDecimal(2), r.getBigDecimal(4));
            }
        }
    }

    static String tieOutLine(BigDecimal tasks, BigDecimal untasked, BigDecimal priced) {
        BigDecimal accounted = tasks.add(untasked);
        BigDecimal difference = priced.subtract(accounted);
        String sums = "task cost $" + tasks.toPlainString() + " + untasked cost $" + untasked.toPlainString()
                + " = $" + accounted.toPlainString();
        if (difference.signum() == 0) {
            return sums + " = priced calls of the month $" + priced.toPlainString() + ": ties out";
        }
        return sums + "; priced calls of the month $" + priced.toPlainString() + ": differs by $" + difference.toPlainString()
                + " (tasks not final yet, or a task counted whole in the month of its first call)";
    }
}
