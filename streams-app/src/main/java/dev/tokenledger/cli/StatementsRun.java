package dev.tokenledger.cli;

import dev.tokenledger.warehouse.Table;
import dev.tokenledger.warehouse.TableFormat;
import dev.tokenledger.warehouse.TableRenderer;
import dev.tokenledger.warehouse.statements.ChargebackJournal;
import dev.tokenledger.warehouse.statements.OwnerStatement;
import dev.tokenledger.warehouse.statements.StatementHtml;
import dev.tokenledger.warehouse.statements.StatementPack;
import dev.tokenledger.warehouse.statements.StatementReport;
import dev.tokenledger.warehouse.statements.StatementsData;
import dev.tokenledger.warehouse.statements.TargetLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code report statements} (docs/statements.md): the month's statements as a table, CSV, JSON or printable HTML
 * (one document to stdout, or one file per owner with {@code --out DIR}), and with {@code --chargeback} the journal.
 */
final class StatementsRun {

    static final String REPORT = "statements";

    private final String month;
    private final String by;
    private final String owner;
    private final String format;
    private final Path outDir;
    private final boolean chargeback;
    private final Path journal;

    StatementsRun(String month, String by, String owner, String format, Path outDir, boolean chargeback, Path journal) {
        this.month = month;
        this.by = by;
        this.owner = owner;
        this.format = format;
        this.outDir = outDir;
        this.chargeback = chargeback;
        this.journal = journal;
    }

    int run(WarehouseOptions warehouse, CommandLine commandLine) {
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        YearMonth asked = null;
        TargetLevel level = TargetLevel.parse(by == null ? "team" : by.trim());
        String f = format == null ? "table" : format.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (month != null) {
                asked = YearMonth.parse(month.trim());
            }
        } catch (DateTimeParseException e) {
            return usage(err, "--month must be YYYY-MM, was '" + month + "'");
        }
        if (level == null) {
            return usage(err, "statements: unknown --by '" + by + "', expected team, cost_center or product_line");
        }
        if (!List.of("table", "csv", "json", "html").contains(f)) {
            return usage(err, "statements are written as --format table, csv, json or html, not '" + format + "'");
        }
        if (outDir != null && !f.equals("html")) {
            return usage(err, "--out DIR is for --format html (one file per owner)");
        }
        if (chargeback != (journal != null)) {
            return usage(err, "--chargeback and --journal FILE go together");
        }
        StatementPack pack;
        try (WarehouseOptions.OpenWarehouse open = warehouse.open()) {
            pack = StatementsData.load(open.dataSource(), asked, level);
        } catch (WarehouseOptions.NoWarehouseException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("error: cannot draw up the statements from the warehouse: " + WarehouseOptions.describeFailure(e));
            return 1;
        }
        try {
            if (f.equals("html")) {
                html(pack, out);
            } else {
                Table table = StatementReport.table(pack, owner);
                if (f.equals("table")) {
                    out.println(table.title());
                    out.println();
                }
                out.print(TableRenderer.render(table, TableFormat.parse(f)));
            }
            if (chargeback) {
                Table lines = ChargebackJournal.table(pack.month().allocation());
                Files.writeString(journal, TableRenderer.render(lines, TableFormat.CSV), StandardCharsets.UTF_8);
                err.println("tokenledger | chargeback journal: " + lines.rows().size() + " lines for " + pack.month().month()
                        + " written to " + journal);
            }
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            err.println("error: cannot write: " + e.getMessage());
            return 1;
        }
        out.flush();
        err.flush();
        return 0;
    }

    private void html(StatementPack pack, PrintWriter out) throws IOException {
        if (outDir == null) {
            out.print(StatementHtml.document(pack, owner));
            return;
        }
        Files.createDirectories(outDir);
        for (OwnerStatement s : StatementReport.select(pack, owner)) {
            Path file = outDir.resolve(StatementHtml.fileName(pack, s));
            Files.writeString(file, StatementHtml.document(pack, s), StandardCharsets.UTF_8);
            out.println("tokenledger | " + file);
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("error: " + message);
        err.flush();
        return 2;
    }
}
