package dev.tokenledger.cli;

import dev.tokenledger.warehouse.FocusExport;
import dev.tokenledger.warehouse.ReportOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenledger export}: the warehouse's derived cost in the formats other tools read. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export derived cost from the warehouse for other tools.",
        subcommands = {ExportCommand.Focus.class})
public final class ExportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code tokenledger export focus}: a FOCUS 1.2 cost and usage CSV of one month (docs/focus.md). */
    @Command(name = "focus", mixinStandardHelpOptions = true,
            description = {"The month's derived cost as a FOCUS 1.2 CSV (docs/focus.md): one row per",
                    "day, provider, model, token class and team/feature/customer/environment,",
                    "BilledCost exact to 12 places and summing to the month's daily rollups.",
                    "For FOCUS tools: Vantage, CloudZero, the FinOps Foundation's."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the export was written",
                    "1:no warehouse yet, the warehouse could not be read, or FILE could not be written",
                    "2:usage error (bad --month or --jdbc-url)"})
    static final class Focus implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--month", paramLabel = "YYYY-MM", required = true, description = "The UTC month to export.")
        String month;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the CSV here (default: standard output).")
        Path out;

        @Mixin
        WarehouseOptions warehouse;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            YearMonth yearMonth;
            try {
                yearMonth = ReportOptions.defaults().withMonth(month).month().orElseThrow();
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            FocusExport.Summary summary;
            try (WarehouseOptions.OpenWarehouse open = warehouse.open()) {
                if (out == null) {
                    summary = FocusExport.write(open.dataSource(), yearMonth, stdout);
                    stdout.flush();
                } else {
                    try (Writer file = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                        summary = FocusExport.write(open.dataSource(), yearMonth, file);
                    }
                }
            } catch (WarehouseOptions.NoWarehouseException e) {
                err.println("error: " + e.getMessage());
                return 1;
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("error: cannot write " + out + ": " + e.getMessage());
                return 1;
            } catch (RuntimeException e) {
                err.println("error: cannot export " + yearMonth + " from the warehouse: " + WarehouseOptions.describeFailure(e));
                return 1;
            }
            if (out != null) {
                stdout.println("wrote " + summary.rows() + " FOCUS rows for " + summary.month() + " to " + out
                        + " (BilledCost " + summary.billedCostUsd().toPlainString() + " USD)");
                stdout.flush();
            }
            return 0;
        }
    }
}
