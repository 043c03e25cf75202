package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.budget;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Budget;
import org.junit.jupiter.api.Test;

class BudgetBookTest {

    final BudgetBook book = new BudgetBook();

    @Test
    void shouldFindAGlobalBudgetWhateverIdItNames() {
        Budget all = budget("global", "all", "monthly", "8000", 80, 100, "alert");
        book.apply("global:all:monthly", all);

        assertThat(book.get("global:*:monthly")).isEqualTo(all);
        assertThat(book.snapshot()).containsOnlyKeys("global:*:monthly");
    }

    @Test
    void shouldForgetABudgetOnItsTombstone() {
        book.apply("global:all:monthly", budget("global", "all", "monthly", "8000", 80, 100, "alert"));
        book.apply("team:search:daily", budget("team", "search", "daily", "10", 80, 100, "block"));

        book.apply("global:all:monthly", null);

        assertThat(book.get("global:*:monthly")).isNull();
        assertThat(book.get("team:search:daily")).isNotNull();
    }

    @Test
    void shouldKeepTheBudgetInForceWhenAnEditCannotBeApplied() {
        Budget good = budget("team", "search", "monthly", "60", 80, 100, "block");
        book.apply("team:search:monthly", good);

        assertThat(book.apply("team:search:monthly", budget("team", "search", "monthly", "1", 80, 100, "explode")))
                .contains("unknown_action");
        assertThat(book.apply("x", budget("squad", "a", "monthly", "1", 80, 100, "block"))).contains("unknown_scope_type");
        assertThat(book.apply("y", budget("team", "a", "weekly", "1", 80, 100, "block"))).contains("unknown_period");
        assertThat(book.apply("z", budget("team", "a", "monthly", "1", 0, 100, "block"))).contains("invalid_threshold");
        assertThat(book.get("team:search:monthly")).isEqualTo(good);
    }

    @Test
    void shouldAcceptEveryActionTheContractNames() {
        for (String action : new String[] {"alert", "queue", "block", "downgrade:gpt-4o-mini"}) {
            assertThat(BudgetBook.problem(budget("team", "a", "monthly", "1", 80, 100, action))).as(action).isEmpty();
        }
        assertThat(BudgetBook.problem(budget("team", "a", "monthly", "1", 80, 100, "downgrade:"))).contains("unknown_action");
    }
}
