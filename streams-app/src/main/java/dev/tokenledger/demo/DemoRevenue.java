package dev.tokenledger.demo;

import dev.tokenledger.warehouse.RevenueCsv;
import dev.tokenledger.warehouse.WarehouseException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The demo's revenue, so that the margin question has an answer without finance's file: each customer-facing
 * feature of the generated traffic charges a fixed price per call (a usage-based product price), so a month's
 * revenue is its calls in the daily rollups times that price, rounded to cents. The prices make realistic gross
 * margins on the demo's traffic, from about 85% (email drafts on small models) down to a loss for the onboarding
 * agent, whose multi-step runs on GPT-5 and Claude cost more than the product charges; the ticket summarizer's 72%
 * on plain traffic falls below zero with the planted model swap (its unit-cost drift). Internal features
 * (code-review-bot, eval-harness) and the unallocated bucket earn nothing: they are overhead, not cost of revenue.
 *
 * <p>The rows are written with source {@code demo} (V61): each run first deletes the demo's rows of earlier runs,
 * and a (feature, month) finance loaded keeps finance's figure.
 */
public final class DemoRevenue {

    /** What each customer-facing demo feature charges per call, in USD. */
    public static final Map<String, BigDecimal> PRICE_PER_CALL = Map.of(
            "semantic-search", new BigDecimal("0.025"),
            "support-copilot", new BigDecimal("0.035"),
            "ticket-summarizer", new BigDecimal("0.012"),
            "email-drafts", new BigDecimal("0.008"),
            "doc-qa", new BigDecimal("0.100"),
            "onboarding-agent", new BigDecimal("0.020"),
            "churn-insights", new BigDecimal("0.045"),
            "contract-review", new BigDecimal("1.100"));

    /** What a run wrote: the revenue generated, and how many (feature, month) kept the figure finance loaded. */
    public record Result(List<RevenueCsv.Revenue> generated, int keptFinance) {

        public Result {
            generated = List.copyOf(generated);
        }

        /** The month most of the generated revenue is in: the demo's traffic can spill a few calls into the next. */
        public java.util.Optional<YearMonth> mainMonth() {
            Map<YearMonth, BigDecimal> byMonth = new java.util.TreeMap<>();
            generated.forEach(r -> byMonth.merge(r.month(), r.revenueUsd(), BigDecimal::add));
            return byMonth.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        }

        public String describe() {
            java.util.SortedSet<YearMonth> months = new java.util.TreeSet<>();
            generated.forEach(r -> months.add(r.month()));
            return "revenue generated for " + generated.size() + " feature-months (" + months + ") at the demo's"
                    + " prices per call" + (keptFinance > 0 ? "; " + keptFinance + " kept finance's figure" : "")
                    + mainMonth().map(m -> "; margins of " + m + " below").orElse("");
        }
    }

    private DemoRevenue() {
    }

    /** A month's revenue for a feature with this many calls: calls x price, to the cent. */
    public static BigDecimal revenue(String feature, long calls) {
        return PRICE_PER_CALL.get(feature).multiply(BigDecimal.valueOf(calls)).setScale(2, RoundingMode.HALF_EVEN);
    }

    /** Replaces the demo's revenue with revenue for the features and months of the daily rollups now in the warehouse. */
    public static Result generate(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                clear(connection);
                List<RevenueCsv.Revenue> generated = new ArrayList<>();
                int kept = 0;
                try (PreparedStatement calls = connection.prepareStatement("""
                        select date_trunc('month', window_start at time zone 'UTC')::date as month, feature, sum(requests)
                        from llm_rollups
                        where granularity = 'daily' and feature = any (?)
                        group by 1, 2
                        order by 1, 2""");
                     PreparedStatement insert = connection.prepareStatement("""
                             insert into feature_revenue (feature, month, revenue_usd, source) values (?, ?, ?, 'demo')
                             on conflict (feature, month) do nothing""")) {
                    calls.setArray(1, connection.createArrayOf("text", PRICE_PER_CALL.keySet().toArray()));
                    try (ResultSet rows = calls.executeQuery()) {
                        while (rows.next()) {
                            LocalDate month = rows.getObject(1, LocalDate.class);
                            String feature = rows.getString(2);
                            BigDecimal revenue = revenue(feature, rows.getLong(3));
                            insert.setString(1, feature);
                            insert.setObject(2, month);
                            insert.setBigDecimal(3, revenue);
                            if (insert.executeUpdate() == 1) {
                                generated.add(new RevenueCsv.Revenue(feature, YearMonth.from(month), revenue));
                            } else {
                                kept++;
                            }
                        }
                    }
                }
                connection.commit();
                return new Result(generated, kept);
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot write the demo's revenue: " + e.getMessage(), e);
        }
    }

    /** Deletes the revenue earlier demo runs generated (a run given finance's file uses that instead). */
    public static int clear(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return clear(connection);
        } catch (SQLException e) {
            throw new WarehouseException("cannot delete the demo's revenue: " + e.getMessage(), e);
        }
    }

    private static int clear(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from feature_revenue where source = 'demo'")) {
            return delete.executeUpdate();
        }
    }
}
