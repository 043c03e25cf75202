package dev.tokenledger.warehouse.statements;

import dev.tokenledger.warehouse.WarehouseException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Reads what statements are drawn up from: daily rollups, the registry, the rules, budgets, anomalies, the close. */
public final class StatementsData {

    private StatementsData() {
    }

    /** The month asked for, else the latest month with daily rollups, else the current UTC month. */
    public static StatementPack load(DataSource dataSource, YearMonth asked, TargetLevel level) {
        try (Connection connection = dataSource.getConnection()) {
            YearMonth month = asked != null ? asked : latestMonth(connection);
            AllocationPolicy policy = AllocationRulesStore.read(connection);
            OwnershipRegistry registry = AllocationRulesStore.registry(connection);
            Allocation current = Allocator.allocate(month, policy, registry, cells(connection, month));
            List<CostCell> priorCells = cells(connection, month.minusMonths(1));
            Allocation prior = Allocator.allocate(month.minusMonths(1), policy, registry, priorCells);
            MonthStatements statements = StatementBuilder.build(level, current, prior);
            return new StatementPack(statements, budgets(connection, statements), anomalies(connection, statements),
                    reconciliation(connection, month));
        } catch (SQLException e) {
            throw new WarehouseException("statements failed: " + e.getMessage(), e);
        }
    }

    private static YearMonth latestMonth(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("select max(month) from v_rollups_daily");
             ResultSet rs = st.executeQuery()) {
            if (rs.next() && rs.getDate(1) != null) {
                return YearMonth.from(rs.getDate(1).toLocalDate());
            }
        }
        return YearMonth.now(ZoneOffset.UTC);
    }

    /** The month's daily rollups summed over customers and providers. */
    static List<CostCell> cells(Connection connection, YearMonth month) throws SQLException {
        List<CostCell> cells = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement("""
                select day, team, feature, environment, model, sum(requests), sum(input_tokens + output_tokens), sum(cost_total)
                from v_rollups_daily
                where month = ?
                group by day, team, feature, environment, model
                order by day, team, feature, environment, model""")) {
            st.setObject(1, month.atDay(1));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    cells.add(new CostCell(rs.getDate(1).toLocalDate(), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getBigDecimal(8)));
                }
            }
        }
        return cells;
    }

    private static Map<String, List<StatementPack.BudgetLine>> budgets(Connection connection, MonthStatements month)
            throws SQLException {
        Map<String, List<StatementPack.BudgetLine>> byScope = new LinkedHashMap<>();
        try (PreparedStatement st = connection.prepareStatement("""
                select scope_type, scope_id, budget_usd, spend_usd, used_pct, state
                from v_budget_position
                where period = 'monthly' and period_start = ? and scope_type in ('team', 'feature')
                order by scope_type desc, scope_id""")) {
            st.setObject(1, month.month().atDay(1));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    StatementPack.BudgetLine line = new StatementPack.BudgetLine(rs.getString(1), rs.getString(2),
                            text(rs.getBigDecimal(3)), text(rs.getBigDecimal(4)), text(rs.getBigDecimal(5)), rs.getString(6));
                    for (OwnerStatement s : month.statements()) {
                        if (line.scopeType().equals("team") ? s.teams().contains(line.scopeId()) : s.features().contains(line.scopeId())) {
                            byScope.computeIfAbsent(s.scope(), k -> new ArrayList<>()).add(line);
                        }
                    }
                }
            }
        }
        return byScope;
    }

    private static Map<String, List<StatementPack.AnomalyLine>> anomalies(Connection connection, MonthStatements month)
            throws SQLException {
        Map<String, List<StatementPack.AnomalyLine>> byScope = new LinkedHashMap<>();
        try (PreparedStatement st = connection.prepareStatement("""
                select detected_at, kind, scope_type, scope_id, feature, model, impact_usd, severity, state, explanation
                from v_anomalies where month = ? order by detected_at, kind, scope_type, scope_id""")) {
            st.setObject(1, month.month().atDay(1));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String scopeType = rs.getString(3);
                    String scopeId = rs.getString(4);
                    String feature = rs.getString(5);
                    String scope = scopeType + " " + scopeId + (feature != null && !feature.equals(scopeId) ? " / " + feature : "")
                            + (rs.getString(6) != null ? " / " + rs.getString(6) : "");
                    StatementPack.AnomalyLine line = new StatementPack.AnomalyLine(rs.getTimestamp(1).toInstant().toString(),
                            rs.getString(2), scope, text(rs.getBigDecimal(7)), rs.getString(8), rs.getString(9), rs.getString(10));
                    for (OwnerStatement s : month.statements()) {
                        boolean mine = (scopeType.equals("team") && s.teams().contains(scopeId))
                                || (scopeType.equals("feature") && s.features().contains(scopeId))
                                || (feature != null && s.features().contains(feature));
                        if (mine) {
                            byScope.computeIfAbsent(s.scope(), k -> new ArrayList<>()).add(line);
                        }
                    }
                }
            }
        }
        return byScope;
    }

    private static List<String> reconciliation(Connection connection, YearMonth month) throws SQLException {
        List<String> notes = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement("""
                select c.provider, c.derived_usd, c.invoiced_usd, c.variance_usd, c.variance_pct, c.unexplained_usd, a.state
                from v_reconciliation_close c
                left join llm_alerts_reconciliation a on a.provider = c.provider and a.month = c.month
                where c.month = ? order by c.provider""")) {
            st.setString(1, month.toString());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    notes.add(rs.getString(1) + ": derived " + text(rs.getBigDecimal(2)) + " USD, invoiced "
                            + text(rs.getBigDecimal(3)) + " USD, variance " + text(rs.getBigDecimal(4)) + " USD"
                            + (rs.getBigDecimal(5) == null ? "" : " (" + text(rs.getBigDecimal(5)) + "%)")
                            + ", unexplained " + text(rs.getBigDecimal(6)) + " USD"
                            + (rs.getString(7) == null ? "" : ", " + rs.getString(7)));
                }
            }
        }
        return notes;
    }

    private static String text(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
