package dev.tokenledger.warehouse.statements;

/** Why a rules file was refused: the 1-based line, a machine-readable reason and a sentence. */
public record RuleProblem(int line, String reason, String detail) implements Comparable<RuleProblem> {

    @Override
    public int compareTo(RuleProblem other) {
        return Integer.compare(line, other.line);
    }

    @Override
    public String toString() {
        return "line " + line + ": " + reason + ": " + detail;
    }
}
