package dev.tokenledger.warehouse.statements;

import java.math.BigDecimal;
import java.util.List;

/**
 * One rule: spread {@code source} over {@code targets} (ids at {@code level}) by {@code method}.
 *
 * @param metric      for telemetry: {@code requests} or {@code tokens} (input plus output); else null
 * @param weightsPct  for fixed: one percentage per target, summing to 100; else empty
 * @param line        the 1-based line of the rule in its file, for messages
 * @param targetLines the line of each target, for messages
 */
public record AllocationRule(String name, RuleSource source, TargetLevel level, List<String> targets,
                             AllocationMethod method, String metric, List<BigDecimal> weightsPct, int line,
                             List<Integer> targetLines) {

    public AllocationRule {
        targets = List.copyOf(targets);
        weightsPct = List.copyOf(weightsPct);
        targetLines = List.copyOf(targetLines);
    }

    /** The basis in words, e.g. {@code telemetry (tokens)}. */
    public String methodText() {
        return method == AllocationMethod.TELEMETRY ? method.code() + " (" + metric + ")" : method.code();
    }
}
