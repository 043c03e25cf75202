package dev.tokenledger.warehouse.statements;

import dev.tokenledger.warehouse.Table;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report statements}: one row per owner with the cents and the exact amounts, notes with what they sum to.
 * Rounded columns ({@code *_usd}) sum to the month's total to the cent; {@code *_exact_usd} sum to it exactly.
 */
public final class StatementReport {

    public static final List<String> COLUMNS = List.of("owner_scope", "owner", "direct_usd", "shared_usd", "total_usd",
            "shared_in_usd", "shared_out_usd", "direct_exact_usd", "shared_exact_usd", "total_exact_usd", "prior_total_usd",
            "change_usd", "volume_usd", "mix_usd", "rate_usd", "shared_change_usd", "budget", "anomalies");

    private StatementReport() {
    }

    /** The statements of the pack; only {@code owner}'s when it is not null. */
    public static Table table(StatementPack pack, String owner) {
        MonthStatements m = pack.month();
        List<List<String>> rows = new ArrayList<>();
        for (OwnerStatement s : select(pack, owner)) {
            OwnerStatement.Change c = s.change();
            rows.add(java.util.Arrays.asList(s.scope(), s.owner(), cents(s.direct()), cents(s.shared()), cents(s.total()),
                    cents(s.sharedIn()), cents(s.sharedOut()), s.direct().exact().toPlainString(), s.shared().exact().toPlainString(),
                    s.total().exact().toPlainString(), cents(c.priorTotal()), cents(c.total()), cents(c.volume()), cents(c.mix()),
                    cents(c.rate()), cents(c.shared()), budgetText(pack.budgetsOf(s.scope())),
                    String.valueOf(pack.anomaliesOf(s.scope()).size())));
        }
        return new Table("statements by " + m.level().code() + ", " + m.month() + (owner == null ? "" : ", " + owner),
                COLUMNS, rows).withNotes(notes(pack));
    }

    /** The statements asked for: all, or the one owner's; an unknown owner is a usage error. */
    public static List<OwnerStatement> select(StatementPack pack, String owner) {
        if (owner == null) {
            return pack.month().statements();
        }
        List<OwnerStatement> found = pack.month().statements().stream().filter(s -> s.scope().equals(owner)).toList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no statement for " + pack.month().level().code() + " '" + owner + "' in "
                    + pack.month().month() + "; there are: " + String.join(", ",
                    pack.month().statements().stream().map(OwnerStatement::scope).toList()));
        }
        return found;
    }

    /** What the statements sum to, the coverage, the rules in force and the close's notes. */
    public static List<String> notes(StatementPack pack) {
        MonthStatements m = pack.month();
        List<String> notes = new ArrayList<>();
        BigDecimal cents = m.statements().stream().map(s -> s.total().cents()).reduce(BigDecimal.ZERO, BigDecimal::add);
        notes.add("month total " + m.total().cents().toPlainString() + " USD (exact " + m.total().exact().toPlainString()
                + "); the statements sum to " + cents.toPlainString() + " USD");
        notes.add("attribution coverage " + (m.coveragePct() == null ? "n/a" : m.coveragePct().toPlainString() + "%")
                + "; unallocated " + m.unallocated().toPlainString() + " USD, of which no rule spreads "
                + m.unallocatedUnspread().toPlainString() + " USD (on the unallocated line)");
        notes.add(m.version() == null ? "no allocation rules in force (tokenledger load allocation FILE): direct cost only"
                : "allocation rules in force from " + m.version().effectiveFrom() + ": " + String.join(", ",
                m.version().rules().stream().map(r -> r.name() + " (" + r.source() + ", " + r.methodText() + ")").toList()));
        for (String note : pack.reconciliationNotes()) {
            notes.add("reconciliation " + note);
        }
        return notes;
    }

    private static String budgetText(List<StatementPack.BudgetLine> budgets) {
        return String.join("; ", budgets.stream().map(b -> b.scopeType() + " " + b.scopeId() + " " + b.usedPct() + "% " + b.state())
                .toList());
    }

    static String cents(OwnerStatement.Amount amount) {
        return amount.cents().toPlainString();
    }
}
