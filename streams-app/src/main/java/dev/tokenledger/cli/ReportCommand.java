package dev.tokenledger.cli;

import dev.tokenledger.warehouse.ReportOptions;
import dev.tokenledger.warehouse.Reports;
import dev.tokenledger.warehouse.Table;
import dev.tokenledger.warehouse.TableFormat;
import dev.tokenledger.warehouse.TableRenderer;
import java.io.PrintWriter;
import java.util.Iterator;
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
                "  variance     derived vs provider-reported cost per day, provider, model",
                "  unallocated  default (untagged) and shared buckets: size, share, owner;",
                "               unallocated-daily: the same per day, with the day's change",
                "  anomalies    cost anomalies detected in the month: kind, scope, actual vs expected, impact, drivers",
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

    @Option(names = "--by", paramLabel = "team|feature|customer|cohort", defaultValue = ReportOptions.BY_TEAM,
            description = "For spend: the dimension (default: ${DEFAULT-VALUE}).")
    String by;

    @Option(names = "--top", paramLabel = "N", defaultValue = "0",
            description = "Keep the first N rows in the report's order; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "Aligned text, RFC 4180 CSV, or JSON with every value a string (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    WarehouseOptions warehouse;

    /** The report names, for help and shell completion. */
    static final class ReportNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Reports.DESCRIPTIONS.keySet().iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportOptions options;
        TableFormat tableFormat;
        try {
            if (!Reports.DESCRIPTIONS.containsKey(report)) {
                throw new IllegalArgumentException("unknown report '" + report + "', expected one of "
                        + String.join(", ", Reports.DESCRIPTIONS.keySet()));
            }
            options = ReportOptions.defaults().withBy(by).withTop(top);
            if (month != null) {
                options = options.withMonth(month);
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
        if (tableFormat == TableFormat.TABLE) {
            out.println(table.title());
            out.println();
        }
        out.print(TableRenderer.render(table, tableFormat));
        out.flush();
        return 0;
    }
}
