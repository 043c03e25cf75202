package dev.tokenledger.warehouse.statements;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chargeback: the month's shared cost as journal lines per cost center. Per rule, a debit to each cost center that
 * receives part of the bucket and a credit to each cost center (or the {@code unallocated} bucket) the bucket's cost
 * came from, each side rounded by largest remainder to the rule's pool in cents, so every rule, and the journal,
 * balances to zero to the cent. A cost center can be on both sides of one rule (it gave to the bucket and gets
 * part of it back): both lines are kept, as finance books them.
 */
public final class ChargebackJournal {

    public static final List<String> COLUMNS = List.of("month", "rule", "source", "method", "account", "side",
            "debit_usd", "credit_usd", "exact_usd", "memo");

    private ChargebackJournal() {
    }

    public record Line(String month, String rule, String source, String method, String account, String side,
                       BigDecimal debit, BigDecimal credit, BigDecimal exact, String memo) {
        List<String> cells() {
            return List.of(month, rule, source, method, account, side, debit.toPlainString(), credit.toPlainString(),
                    exact.toPlainString(), memo);
        }
    }

    public static List<Line> lines(Allocation allocation) {
        OwnershipRegistry registry = allocation.registry();
        List<Line> lines = new ArrayList<>();
        String month = allocation.month().toString();
        for (Allocation.RuleResult r : allocation.rules()) {
            if (r.pool().signum() == 0) {
                continue;
            }
            BigDecimal pool = r.pool().setScale(LargestRemainder.CENTS, RoundingMode.HALF_EVEN);
            Map<String, BigDecimal> debits = new LinkedHashMap<>();
            for (Allocation.Share s : r.shares()) {
                s.byFeature().forEach((f, a) -> debits.merge(account(f, registry), a, BigDecimal::add));
            }
            Map<String, BigDecimal> credits = new LinkedHashMap<>();
            for (Allocation.Given g : r.given()) {
                credits.merge(account(g.feature(), registry), g.amount(), BigDecimal::add);
            }
            String rule = r.rule().name();
            String source = r.rule().source().toString();
            List<String> debitAccounts = new ArrayList<>(debits.keySet());
            List<BigDecimal> debitCents = LargestRemainder.round(debitAccounts.stream().map(debits::get).toList(), pool,
                    LargestRemainder.CENTS);
            for (int i = 0; i < debitAccounts.size(); i++) {
                if (debitCents.get(i).signum() == 0 && debits.get(debitAccounts.get(i)).signum() == 0) {
                    continue; // a target with no share (no basis this month): nothing to book
                }
                lines.add(new Line(month, rule, source, r.rule().methodText(), debitAccounts.get(i), "debit", debitCents.get(i),
                        zero(), debits.get(debitAccounts.get(i)), "share of " + source + " received"));
            }
            List<String> creditAccounts = new ArrayList<>(credits.keySet());
            List<BigDecimal> creditCents = LargestRemainder.round(creditAccounts.stream().map(credits::get).toList(), pool,
                    LargestRemainder.CENTS);
            for (int i = 0; i < creditAccounts.size(); i++) {
                lines.add(new Line(month, rule, source, r.rule().methodText(), creditAccounts.get(i), "credit", zero(),
                        creditCents.get(i), credits.get(creditAccounts.get(i)).negate(), "cost pooled into " + source));
            }
        }
        return lines;
    }

    /** RFC 4180 CSV with a header. */
    public static dev.tokenledger.warehouse.Table table(Allocation allocation) {
        List<List<String>> rows = lines(allocation).stream().map(Line::cells).toList();
        return new dev.tokenledger.warehouse.Table("chargeback journal, " + allocation.month(), COLUMNS, rows);
    }

    private static String account(String feature, OwnershipRegistry registry) {
        return StatementBuilder.scopeOf(feature, TargetLevel.COST_CENTER, registry);
    }

    private static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(LargestRemainder.CENTS);
    }
}
