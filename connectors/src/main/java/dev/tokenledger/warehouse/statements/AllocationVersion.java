package dev.tokenledger.warehouse.statements;

import java.time.YearMonth;
import java.util.List;

/** The rules in force from {@code effectiveFrom} until the next version's month; applied in their order. */
public record AllocationVersion(YearMonth effectiveFrom, int line, List<AllocationRule> rules) {

    public AllocationVersion {
        rules = List.copyOf(rules);
    }
}
