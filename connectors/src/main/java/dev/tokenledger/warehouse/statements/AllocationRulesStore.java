package dev.tokenledger.warehouse.statements;

import dev.tokenledger.warehouse.WarehouseException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The allocation rules in the warehouse ({@code allocation_rules}, V60), and the ownership registry they are checked
 * against. Loading a file replaces every rule in one transaction: the file is the whole policy, all its versions.
 */
public final class AllocationRulesStore {

    private AllocationRulesStore() {
    }

    /** Parses, checks against the warehouse's registry, and replaces the stored rules; throws with every problem. */
    public static AllocationPolicy load(String fileName, String text, DataSource dataSource) throws InvalidAllocationRules {
        AllocationRulesYaml.Parsed parsed = AllocationRulesYaml.parse(text);
        if (!parsed.ok()) {
            throw new InvalidAllocationRules(fileName, parsed.problems());
        }
        try (Connection connection = dataSource.getConnection()) {
            List<RuleProblem> problems = AllocationRulesCheck.check(parsed.policy(), registry(connection));
            if (!problems.isEmpty()) {
                throw new InvalidAllocationRules(fileName, problems);
            }
            replace(connection, parsed.policy(), fileName);
            return parsed.policy();
        } catch (SQLException e) {
            throw new WarehouseException("cannot load allocation rules: " + e.getMessage(), e);
        }
    }

    /** Replaces the stored rules with an already checked policy (the demo checks against its own registry first). */
    public static void replace(DataSource dataSource, AllocationPolicy policy, String fileName) {
        try (Connection connection = dataSource.getConnection()) {
            replace(connection, policy, fileName);
        } catch (SQLException e) {
            throw new WarehouseException("cannot load allocation rules: " + e.getMessage(), e);
        }
    }

    private static void replace(Connection connection, AllocationPolicy policy, String fileName) throws SQLException {
        boolean auto = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement delete = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into allocation_rules (effective_from, rule_order, name, source_kind, source_id, target_level,
                         targets, method, metric, weights_pct, file_line, source_file)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            delete.execute("delete from allocation_rules");
            for (AllocationVersion version : policy.versions()) {
                int order = 0;
                for (AllocationRule rule : version.rules()) {
                    insert.setObject(1, version.effectiveFrom().atDay(1));
                    insert.setInt(2, order++);
                    insert.setString(3, rule.name());
                    insert.setString(4, rule.source().kind().code());
                    insert.setString(5, rule.source().id());
                    insert.setString(6, rule.level().code());
                    insert.setArray(7, connection.createArrayOf("text", rule.targets().toArray()));
                    insert.setString(8, rule.method().code());
                    insert.setString(9, rule.metric());
                    insert.setArray(10, rule.weightsPct().isEmpty() ? null
                            : connection.createArrayOf("numeric", rule.weightsPct().toArray()));
                    insert.setInt(11, rule.line());
                    insert.setString(12, fileName);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(auto);
        }
    }

    /** The stored policy; {@link AllocationPolicy#NONE} when nothing is loaded. */
    public static AllocationPolicy read(Connection connection) throws SQLException {
        Map<YearMonth, List<AllocationRule>> versions = new LinkedHashMap<>();
        try (PreparedStatement st = connection.prepareStatement("""
                select effective_from, name, source_kind, source_id, target_level, targets, method, metric, weights_pct, file_line
                from allocation_rules order by effective_from, rule_order""");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                YearMonth month = YearMonth.from(rs.getDate(1).toLocalDate());
                String kind = rs.getString(3);
                RuleSource source = kind.equals("unallocated") ? RuleSource.parse("unallocated")
                        : RuleSource.parse(kind + ":" + rs.getString(4));
                List<String> targets = Arrays.asList((String[]) rs.getArray(6).getArray());
                Array weightsArray = rs.getArray(9);
                List<BigDecimal> weights = weightsArray == null ? List.of() : Arrays.asList((BigDecimal[]) weightsArray.getArray());
                int line = rs.getInt(10);
                versions.computeIfAbsent(month, m -> new ArrayList<>()).add(new AllocationRule(rs.getString(2), source,
                        TargetLevel.parse(rs.getString(5)), targets, AllocationMethod.parse(rs.getString(7)), rs.getString(8),
                        weights, line, targets.stream().map(t -> line).toList()));
            }
        }
        List<AllocationVersion> list = new ArrayList<>();
        versions.forEach((month, rules) -> list.add(new AllocationVersion(month, rules.get(0).line(), rules)));
        return new AllocationPolicy(list);
    }

    /** The registry's feature rows, and every (team, feature) the daily rollups carry that it does not know. */
    public static OwnershipRegistry registry(Connection connection) throws SQLException {
        List<FeatureHome> homes = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement("""
                select key, team, cost_center, product_line, owner from llm_ownership where key_type = 'feature'
                union all
                select distinct r.feature, r.team, null, null, null
                from llm_rollups r
                where r.granularity = 'daily'
                  and not exists (select 1 from llm_ownership o where o.key_type = 'feature' and o.key = r.feature)
                order by 1""");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                homes.add(new FeatureHome(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return new OwnershipRegistry(homes);
    }
}
