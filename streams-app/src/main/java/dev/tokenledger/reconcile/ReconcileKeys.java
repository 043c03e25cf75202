package dev.tokenledger.reconcile;

import static dev.tokenledger.aggregate.RollupKeys.escape;
import static dev.tokenledger.aggregate.RollupKeys.unescape;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Keys of the reconcile stage. Everything of one provider's month shares the prefix {@code provider|YYYY-MM|},
 * so a pass reads a month with one prefix scan per store:
 * <ul>
 *   <li>month: {@code provider|YYYY-MM}; in the month store also {@code ...|#alert} (the month record last
 *       published);</li>
 *   <li>derived cell: {@code provider|YYYY-MM|YYYY-MM-DD|model} (the events' billed model);</li>
 *   <li>invoice line: {@code provider|YYYY-MM|line_id};</li>
 *   <li>published row (the record key on llm.reconciliation.v1): {@code provider|YYYY-MM-DD|model|charge_class}.</li>
 * </ul>
 * {@code |} and {@code %} inside a part are percent-encoded by the rollup keys' own rule ({@code RollupKeys.escape}).
 */
final class ReconcileKeys {

    private static final char SEP = '|';

    private ReconcileKeys() {
    }

    record Month(String provider, YearMonth month) {
    }

    record Cell(LocalDate day, String model) {
    }

    static String month(String provider, YearMonth month) {
        return escape(provider) + SEP + month;
    }

    static Month parseMonth(String key) {
        int a = key.indexOf(SEP);
        return new Month(unescape(key.substring(0, a)), YearMonth.parse(key.substring(a + 1)));
    }

    static String prefix(String month) {
        return month + SEP;
    }

    static String lastAlert(String month) {
        return month + SEP + "#alert";
    }

    static String derived(String month, LocalDate day, String model) {
        return prefix(month) + day + SEP + escape(model);
    }

    static Cell parseDerived(String key) {
        int a = key.indexOf(SEP);
        int b = key.indexOf(SEP, a + 1);
        int c = key.indexOf(SEP, b + 1);
        return new Cell(LocalDate.parse(key.substring(b + 1, c)), unescape(key.substring(c + 1)));
    }

    static String invoice(String month, String lineId) {
        return prefix(month) + lineId;
    }

    static String row(String provider, MonthLedger.CellKey key) {
        return escape(provider) + SEP + key.day() + SEP + escape(key.model()) + SEP + key.chargeClass();
    }
}
