package dev.tokenledger.warehouse.statements;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/**
 * A month's statements at one level, in order of total (the unallocated bucket last), with what they sum to.
 *
 * @param version            the rules in force, null when none
 * @param coveragePct        attribution coverage: the share of the month's cost the attribution stage gave an
 *                           owner (tagged or by api key), percent to 4 places; null for a month without cost
 * @param unallocated        the unallocated bucket's cost of the month, before any rule spreads it
 * @param unallocatedUnspread what of it no rule spreads: it stays on the {@code unallocated} statement
 */
public record MonthStatements(YearMonth month, TargetLevel level, AllocationVersion version, List<OwnerStatement> statements,
                              OwnerStatement.Amount total, BigDecimal coveragePct, BigDecimal unallocated,
                              BigDecimal unallocatedUnspread, Allocation allocation) {
}
