package dev.tokenledger.whatif;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.money.Money;
import dev.tokenledger.warehouse.Table;
import dev.tokenledger.warehouse.WarehouseException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code report whatif}: a month of the warehouse's actual calls re-priced under a scenario, per feature
 * ({@code actual_usd, scenario_usd, savings_usd}), with a total row, and cost per successful task before and after
 * where the month has task outcomes.
 */
public final class WhatIfReport {

    public static final List<String> COLUMNS = List.of("feature", "calls", "changed_calls", "actual_usd", "scenario_usd",
            "savings_usd", "savings_pct", "successful_tasks", "cost_per_success_before_usd", "successful_tasks_after",
            "cost_per_success_after_usd");

    private WhatIfReport() {
    }

    /** Re-prices {@code month} under {@code scenario}; the baseline is the book the month was priced with. */
    public static WhatIfResult run(DataSource dataSource, YearMonth month, Scenario scenario, List<PriceEntry> baseline) {
        WhatIfEngine engine = new WhatIfEngine(scenario, baseline);
        List<String> unpriced = engine.unpricedSubstitutes(month.atEndOfMonth().atStartOfDay().toInstant(ZoneOffset.UTC));
        if (!unpriced.isEmpty()) {
            throw new InvalidScenarioException(scenario.name(), unpriced);
        }
        return run(dataSource, month, engine);
    }

    static WhatIfResult run(DataSource dataSource, YearMonth month, WhatIfEngine engine) {
        WhatIfLedger ledger = new WhatIfLedger();
        try (Connection connection = dataSource.getConnection()) {
            MonthCalls.read(connection, month, call -> ledger.add(engine.price(call)));
            return ledger.result(engine.scenario().name(), MonthCalls.taskOutcomes(connection, month));
        } catch (SQLException e) {
            throw new WarehouseException("whatif failed: " + e.getMessage(), e);
        }
    }

    public static Table table(WhatIfResult result, YearMonth month) {
        List<List<String>> rows = new ArrayList<>();
        for (WhatIfResult.Row row : result.rows()) {
            rows.add(cells(row));
        }
        rows.add(cells(result.total()));
        return new Table("what-if '" + result.scenario() + "', " + month, COLUMNS, rows).withNotes(result.notes());
    }

    private static List<String> cells(WhatIfResult.Row row) {
        List<String> cells = new ArrayList<>(COLUMNS.size());
        cells.add(row.feature());
        cells.add(Long.toString(row.calls()));
        cells.add(Long.toString(row.changedCalls()));
        cells.add(row.actual().toPlainString());
        cells.add(row.scenario().toPlainString());
        cells.add(row.savings().toPlainString());
        cells.add(percent(row.savings(), row.actual()));
        cells.add(row.successfulTasks() == null ? null : row.successfulTasks().toString());
        cells.add(plain(row.costPerSuccessBefore()));
        cells.add(plain(row.successfulTasksAfter()));
        cells.add(plain(row.costPerSuccessAfter()));
        return cells;
    }

    /** 100 x part / whole at 4 places, half away from zero (as the views round percentages); null for a zero whole. */
    static String percent(Money part, Money whole) {
        if (whole.signum() == 0) {
            return null;
        }
        return part.toBigDecimal().multiply(BigDecimal.valueOf(100))
                .divide(whole.toBigDecimal(), 4, RoundingMode.HALF_UP).toPlainString();
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
