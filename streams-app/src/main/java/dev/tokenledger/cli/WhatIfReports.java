package dev.tokenledger.cli;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.warehouse.ReportOptions;
import dev.tokenledger.warehouse.Reports;
import dev.tokenledger.warehouse.Table;
import dev.tokenledger.warehouse.TableFormat;
import dev.tokenledger.whatif.InvalidScenarioException;
import dev.tokenledger.whatif.MarginScenario;
import dev.tokenledger.whatif.MonthCalls;
import dev.tokenledger.whatif.SavingsReport;
import dev.tokenledger.whatif.Scenario;
import dev.tokenledger.whatif.ScenarioFile;
import dev.tokenledger.whatif.WhatIfReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code report whatif} and {@code report savings} reports: they re-price the warehouse's calls with the cost
 * engine, so they live here rather than with the SQL reports of the connectors module (docs/whatif.md).
 */
final class WhatIfReports {

    static final String WHATIF = "whatif";
    static final String SAVINGS = "savings";
    static final List<String> NAMES = List.of(WHATIF, SAVINGS);

    private WhatIfReports() {
    }

    static boolean handles(String report, Path scenarioFile) {
        return NAMES.contains(report) || (MARGIN.equals(report) && scenarioFile != null);
    }

    /** {@code report margin --scenario FILE}: the margin with the scenario's cost instead of the linear +20%. */
    static final String MARGIN = "margin";

    /** Runs one of {@link #NAMES}; returns the exit code. */
    static int run(String report, String month, Path scenarioFile, Path pricebook, int top, String format,
                   WarehouseOptions warehouse, PrintWriter out, PrintWriter err) {
        TableFormat tableFormat;
        YearMonth asked;
        Scenario scenario = null;
        try {
            tableFormat = TableFormat.parse(format);
            asked = month == null ? null : YearMonth.parse(month.trim());
        } catch (DateTimeParseException e) {
            err.println("error: --month must be YYYY-MM, was '" + month + "'");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (!SAVINGS.equals(report)) {
            if (scenarioFile == null) {
                err.println("error: whatif needs --scenario FILE (docs/whatif.md; examples/scenario-*.yaml)");
                return 2;
            }
            try {
                scenario = ScenarioFile.read(scenarioFile);
            } catch (InvalidScenarioException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
        }
        List<PriceEntry> baseline;
        try {
            baseline = pricebook == null ? PriceBooks.readDefault() : PriceBooks.read(pricebook);
        } catch (RuntimeException e) {
            err.println("error: cannot load price book " + (pricebook == null ? "(default)" : pricebook) + ": " + e.getMessage());
            return 2;
        }
        Table table;
        try (WarehouseOptions.OpenWarehouse open = warehouse.open()) {
            DataSource dataSource = open.dataSource();
            YearMonth m = asked != null ? asked : latestMonth(dataSource, MARGIN.equals(report));
            if (MARGIN.equals(report)) {
                Table margin = Reports.run(MARGIN, dataSource, ReportOptions.defaults().withMonth(m).withTop(top));
                table = MarginScenario.apply(margin, WhatIfReport.run(dataSource, m, scenario, baseline),
                        "feature margin under '" + scenario.name() + "', " + m);
            } else if (scenario != null) {
                table = WhatIfReport.table(WhatIfReport.run(dataSource, m, scenario, baseline), m);
            } else {
                table = SavingsReport.table(SavingsReport.run(dataSource, m, baseline), m, top > 0 ? top : 10);
            }
        } catch (WarehouseOptions.NoWarehouseException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InvalidScenarioException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("error: cannot answer '" + report + "' from the warehouse: " + WarehouseOptions.describeFailure(e));
            return 1;
        }
        return ReportCommand.print(table, tableFormat, out);
    }

    private static YearMonth latestMonth(DataSource dataSource, boolean revenue) {
        try (Connection connection = dataSource.getConnection()) {
            return revenue ? MonthCalls.latestRevenueMonth(connection) : MonthCalls.latestMonth(connection);
        } catch (SQLException e) {
            throw new dev.tokenledger.warehouse.WarehouseException("cannot find the latest month: " + e.getMessage(), e);
        }
    }
}
