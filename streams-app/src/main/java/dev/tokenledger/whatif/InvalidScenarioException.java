package dev.tokenledger.whatif;

import java.util.List;

/** A scenario file that cannot be used; {@link #problems()} are {@code line N: ...} sentences, in file order. */
public final class InvalidScenarioException extends RuntimeException {

    private final List<String> problems;

    public InvalidScenarioException(String file, List<String> problems) {
        super(file + ": " + problems.size() + (problems.size() == 1 ? " error" : " errors") + "\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
