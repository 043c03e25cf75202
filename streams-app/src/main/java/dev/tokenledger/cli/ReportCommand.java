package dev.tokenledger.cli;

import dev.tokenledger.warehouse.ClosePack;
import dev.tokenledger.warehouse.ForecastHtml;
import dev.tokenledger.warehouse.ForecastOptions;
import dev.tokenledger.warehouse.ForecastReport;
import dev.tokenledger.warehouse.ReportOptions;
import dev.tokenledger.warehouse.Reports;
import dev.tokenledger.warehouse.Table;
import dev.tokenledger.warehouse.TableFormat;
import dev.tokenledger.warehouse.TableRenderer;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tokenledger report}: one of the five questions, answered from the warehouse. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Answer one of the five questions from the warehouse, for one UTC month:",
                "  spend        by team, feature, customer or customer cohort, with shares",
                "  budgets      budgets vs spend: percent used, ok/soft/hard, gateway action",
                "  margin       revenue - cost per feature, also with every token class +20%%",
                "  variance     derived vs the invoice when one is loaded, else vs the",
                "               provider-reported cost, per day, provider, model",
                "  reconciliation  derived vs invoiced per provider, model, charge class:",
                "               cause, explained dollars, evidence; a total per provider",
                "  close        the close pack (--format md|html): verdict, causes, actions",
                "  unallocated  default (untagged) and shared buckets: size, share, owner;",
                "               unallocated-daily: the same per day, with the day's change",
                "  tasks        cost per successful task by feature, model or feature,model;",
                "               untasked and total lines; which model is cheaper per success",
                "  anomalies    cost anomalies detected in the month: kind, scope, actual vs expected, impact, drivers",
                "  whatif       the month re-priced under --scenario FILE, per feature:",
                "               actual, scenario, savings, cost per success (docs/whatif.md)",
                "  savings      savings opportunities by dollars (top 10 unless --top):",
                "               batch, cache reads, a cheaper model, retry waste",
                "  forecast     spend to month end (--horizon month) or next quarter end (quarter) per product_line,",
                "               team, feature or cohort (--by), with an 80%% band; --as-of DATE forecasts from a past",
                "               day and shows the actual; --format html draws it (docs/forecasting.md)",

                "  statements   showback per team, cost_center or product_line (--by): direct, shared (the",
                "               allocation rules), total, change, budget; --format html, --chargeback --journal FILE",
                "Amounts are exact decimals. Without --jdbc-url it reads the warehouse the",
                "last demo left in --data-dir (started for the command if the demo ended)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the report was printed",
                "1:no warehouse yet, or the warehouse could not be reached or queried",
                "2:usage error (unknown report, bad --month, --by, --format or --jdbc-url)"})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REPORT", completionCandidates = ReportNames.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    String report;

    @Option(names = "--month", paramLabel = "YYYY-MM",
            description = "The UTC month. Default: the latest month with data for that report.")
    String month;

    @Option(names = "--by", paramLabel = "DIMENSION",
            description = "For spend: team, feature, customer or cohort (default: team); for tasks: feature, model or"
                    + " feature,model (default: feature,model); for forecast: product_line, team, feature or cohort"
                    + " (default: team).")
    String by;

    @Option(names = "--top", paramLabel = "N", defaultValue = "0",
            description = "Keep the first N rows in the report's order; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--provider", paramLabel = "PROVIDER",
            description = "For reconciliation, variance and close: one provider (openai, anthropic, aws.bedrock, ...).")
    String provider;

    @Option(names = "--format", paramLabel = "table|csv|json|md|html", defaultValue = "table",
            description = "Aligned text, RFC 4180 CSV, or JSON with every value a string (default: ${DEFAULT-VALUE}); "
                    + "close is md (the default for it) or html.")
    String format;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "For whatif: the scenario file (YAML, docs/whatif.md); for margin: the margin under it instead"
                    + " of the linear +20%%.")
    java.nio.file.Path scenario;

    @Option(names = "--pricebook", paramLabel = "FILE",
            description = "For whatif and savings: the book the month was priced with (default: the shipped book).")
    java.nio.file.Path pricebook;
    @Option(names = "--horizon", paramLabel = "month|quarter",
            description = "For forecast: to the end of the month, or of the next quarter (default: month).")
    String horizon;

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
            description = "For forecast: the first day forecast, from the days before it only (default: the day after"
                    + " the latest day with data, at most today); the actual is shown where known.")
    String asOf;

    @Option(names = "--period", paramLabel = "month|day",
            description = "For forecast: one row per scope and month (default) or per day.")
    String period;

    @Option(names = "--change", paramLabel = "DATE:SCOPE:FACTOR",
            description = "For forecast, repeatable: a known unit-cost change from DATE (a price-book change, a model"
                    + " swap), e.g. 2026-12-15:search:0.8; SCOPE * for every scope.")
    List<String> changes;

    @Option(names = "--owner", paramLabel = "SCOPE",
            description = "For statements: only this team, cost center or product line (as --by names them).")
    String owner;

    @Option(names = "--out", paramLabel = "DIR",
            description = "For statements --format html: write one file per owner into DIR instead of one document to stdout.")
    java.nio.file.Path outDir;

    @Option(names = "--chargeback", description = "For statements: also write the chargeback journal (--journal FILE).")
    boolean chargeback;

    @Option(names = "--journal", paramLabel = "FILE",
            description = "For statements --chargeback: the journal CSV (debit and credit per cost center, balancing to zero).")
    java.nio.file.Path journal;

    @Mixin
    WarehouseOptions warehouse;

    /** The report names, for help and shell completion. */
    static final class ReportNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return java.util.stream.Stream.concat(Reports.DESCRIPTIONS.keySet().stream(), WhatIfReports.NAMES.stream())
                    .iterator();
        }
    }

    private static final String CLOSE = "close";
    private static final String FORECAST = "forecast";

    /** The forecast has its own options (horizon, as-of, scopes Reports does not group by) and an html chart. */
    private int forecast(PrintWriter out, PrintWriter err) {
        ForecastOptions options;
        boolean html = "html".equalsIgnoreCase(format.trim());
        TableFormat tableFormat = null;
        try {
            options = ForecastOptions.parse(by, horizon, asOf, period, changes);
            if (!html) {
                tableFormat = TableFormat.parse(format);
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        ForecastReport.Result result;
        try (WarehouseOptions.OpenWarehouse open = warehouse.open()) {
            result = ForecastReport.run(open.dataSource(), options);
        } catch (WarehouseOptions.NoWarehouseException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("error: cannot answer 'forecast' from the warehouse: " + WarehouseOptions.describeFailure(e));
            return 1;
        }
        if (html) {
            out.print(ForecastHtml.render(result));
        } else {
            if (tableFormat == TableFormat.TABLE) {
                out.println(result.table().title());
                out.println();
            }
            out.print(TableRenderer.render(result.table(), tableFormat));
        }
        out.flush();
        return 0;
    }

    /** The close pack is a document (md or html), not a table. */
    private int close(ReportOptions options, PrintWriter out, PrintWriter err) {
        String documentFormat = "table".equals(format) ? "md" : format;
        if (!documentFormat.equals("md") && !documentFormat.equals("html")) {
            err.println("error: close is written as --format md or html, not '" + format + "'");
            return 2;
        }
        try (WarehouseOptions.OpenWarehouse open = warehouse.open()) {
            out.print(ClosePack.render(open.dataSource(), options, documentFormat));
        } catch (WarehouseOptions.NoWarehouseException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("error: cannot write the close pack from the warehouse: " + WarehouseOptions.describeFailure(e));
            return 1;
        }
        out.flush();
        return 0;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportOptions options;
        TableFormat tableFormat;
        if (WhatIfReports.handles(report, scenario)) {
            return WhatIfReports.run(report, month, scenario, pricebook, top, format, warehouse, out, err);
        }
        if (StatementsRun.REPORT.equals(report)) {
            return new StatementsRun(month, by, owner, format, outDir, chargeback, journal).run(warehouse, this.spec.commandLine());
        }
        try {
            if (!Reports.DESCRIPTIONS.containsKey(report)) {
                throw new IllegalArgumentException("unknown report '" + report + "', expected one of "
                        + String.join(", ", Reports.DESCRIPTIONS.keySet()));
            }
            if (FORECAST.equals(report)) {
                return forecast(out, err);
            }
            options = ReportOptions.defaults().withBy(by != null ? by
                    : "tasks".equals(report) ? ReportOptions.BY_FEATURE_MODEL : ReportOptions.BY_TEAM).withTop(top).withProvider(provider);
            if (month != null) {
                options = options.withMonth(month);
            }
            if (CLOSE.equals(report)) {
                return close(options, out, err);
            }
            tableFormat = TableFormat.parse(format);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        Table table;
        try (WarehouseOptions.OpenWarehouse open = warehouse.open()) {
            table = Reports.run(report, open.dataSource(), options);
        } catch (WarehouseOptions.NoWarehouseException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("error: cannot answer '" + report + "' from the warehouse: " + WarehouseOptions.describeFailure(e));
            return 1;
        }
        return print(table, tableFormat, out);
    }

    /** A report's table as {@code report} prints it: its title above the plain table, the rows alone otherwise. */
    static int print(Table table, TableFormat tableFormat, PrintWriter out) {
        if (tableFormat == TableFormat.TABLE) {
            out.println(table.title());
            out.println();
        }
        out.print(TableRenderer.render(table, tableFormat));
        out.flush();
        return 0;
    }
}
