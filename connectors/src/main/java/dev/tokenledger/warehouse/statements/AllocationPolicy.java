package dev.tokenledger.warehouse.statements;

import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every version of the allocation rules, oldest first. */
public record AllocationPolicy(List<AllocationVersion> versions) {

    public static final AllocationPolicy NONE = new AllocationPolicy(List.of());

    public AllocationPolicy {
        versions = versions.stream().sorted(Comparator.comparing(AllocationVersion::effectiveFrom)).toList();
    }

    /** The version in force for {@code month}: the latest whose effective_from is on or before it. */
    public Optional<AllocationVersion> inForce(YearMonth month) {
        AllocationVersion found = null;
        for (AllocationVersion v : versions) {
            if (!v.effectiveFrom().isAfter(month)) {
                found = v;
            }
        }
        return Optional.ofNullable(found);
    }

    public int ruleCount() {
        return versions.stream().mapToInt(v -> v.rules().size()).sum();
    }
}
