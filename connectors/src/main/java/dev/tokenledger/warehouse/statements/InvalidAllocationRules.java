package dev.tokenledger.warehouse.statements;

import java.util.List;
import java.util.stream.Collectors;

/** A rules file that was refused, with every problem found (nothing is loaded). */
public final class InvalidAllocationRules extends Exception {

    private final List<RuleProblem> problems;

    public InvalidAllocationRules(String file, List<RuleProblem> problems) {
        super(file + " has " + problems.size() + (problems.size() == 1 ? " error" : " errors") + " (nothing loaded):\n"
                + problems.stream().sorted().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = problems.stream().sorted().toList();
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
