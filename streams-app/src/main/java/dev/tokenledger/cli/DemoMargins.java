package dev.tokenledger.cli;

import dev.tokenledger.demo.DemoRevenue;
import dev.tokenledger.warehouse.RevenueCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The revenue behind the demo's margin answer: finance's file ({@code demo --revenue FILE}), validated before the
 * demo starts and loaded as {@code load revenue} loads it, else the revenue {@link DemoRevenue} generates for the
 * demo's own features and months once the warehouse holds the traffic.
 */
final class DemoMargins {

    private DemoMargins() {
    }

    /** Whether the file reads as feature revenue; else every bad line on {@code err}. */
    static boolean validRevenue(Path file, PrintWriter err) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            RevenueCsv.Parsed parsed = RevenueCsv.parse(reader);
            if (parsed.rejections().isEmpty()) {
                return true;
            }
            err.println("error: --revenue " + file + " has " + parsed.rejections().size()
                    + (parsed.rejections().size() == 1 ? " error:" : " errors:"));
            parsed.rejections().forEach(r -> err.println("  line " + r.line() + ": " + r.reason() + " (" + r.detail() + ")"));
        } catch (IOException e) {
            err.println("error: cannot read --revenue " + file + ": " + e.getMessage());
        }
        return false;
    }

    /**
     * Loads the file (already validated) or generates the demo's revenue; says which on {@code progress}. Returns the
     * month whose margins answer the question for the generated revenue (the month of most of it), else null: the
     * margin report's own default, the latest month with revenue.
     */
    static YearMonth loadRevenue(DataSource warehouse, Path file, Consumer<String> progress) {
        try {
            if (file == null) {
                DemoRevenue.Result generated = DemoRevenue.generate(warehouse);
                progress.accept(generated.describe());
                return generated.mainMonth().orElse(null);
            }
            DemoRevenue.clear(warehouse);
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                RevenueCsv.LoadResult result = RevenueCsv.load(reader, warehouse);
                progress.accept("loaded " + result.loaded().size() + " revenue rows from " + file);
            }
        } catch (IOException | RuntimeException e) {
            // The margins are one answer of several: say why they are missing and print the rest.
            progress.accept("revenue NOT loaded: " + WarehouseOptions.describeFailure(e));
        }
        return null;
    }
}
