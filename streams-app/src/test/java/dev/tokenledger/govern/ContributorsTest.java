package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.SpendContributor;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ContributorsTest {

    @Test
    void shouldRankTheLargestContributorsFirst() {
        List<SpendContributor> tracked = new ArrayList<>();
        BigDecimal untracked = usd("0");
        untracked = Contributors.add(tracked, untracked, "search", usd("1.5"), 4);
        untracked = Contributors.add(tracked, untracked, "doc-qa", usd("3"), 4);
        untracked = Contributors.add(tracked, untracked, "search", usd("2"), 4);
        untracked = Contributors.add(tracked, untracked, "chat", usd("0.25"), 4);
        untracked = Contributors.add(tracked, untracked, "eval", usd("0.1"), 4);

        assertThat(Contributors.top(tracked, 3)).extracting(SpendContributor::getName).containsExactly("search", "doc-qa", "chat");
        assertThat(Contributors.top(tracked, 3).get(0).getSpend()).isEqualTo(usd("3.5"));
        assertThat(untracked).isEqualTo(usd("0"));
    }

    @Test
    void shouldEvictTheSmallestIntoUntrackedWhenFull() {
        List<SpendContributor> tracked = new ArrayList<>();
        BigDecimal untracked = usd("0");
        untracked = Contributors.add(tracked, untracked, "a", usd("5"), 2);
        untracked = Contributors.add(tracked, untracked, "b", usd("1"), 2);
        untracked = Contributors.add(tracked, untracked, "c", usd("2"), 2);

        assertThat(tracked).extracting(SpendContributor::getName).containsExactlyInAnyOrder("a", "c");
        assertThat(untracked).isEqualTo(usd("1"));
    }

    @Property(tries = 200)
    void trackedPlusUntrackedShouldAlwaysEqualEverythingAdded(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 20) Integer> names,
            @ForAll @IntRange(min = 3, max = 8) int capacity) {
        List<SpendContributor> tracked = new ArrayList<>();
        BigDecimal untracked = Money.ZERO.toBigDecimal();
        Money added = Money.ZERO;
        for (int i = 0; i < names.size(); i++) {
            BigDecimal amount = usd("0.000000000" + (i % 7 + 1) + "01");
            untracked = Contributors.add(tracked, untracked, "f" + names.get(i), amount, capacity);
            added = added.plus(Money.of(amount));
        }
        Money total = Money.of(untracked);
        for (SpendContributor c : tracked) {
            total = total.plus(Money.of(c.getSpend()));
        }
        assertThat(tracked.size()).isLessThanOrEqualTo(capacity);
        assertThat(total).isEqualTo(added);
    }

    @Test
    void shouldNameModelsWithinAFeatureAndFeaturesElsewhere() {
        assertThat(Contributors.dimension("feature")).isEqualTo("model");
        assertThat(Contributors.dimension("team")).isEqualTo("feature");
        assertThat(Contributors.dimension("global")).isEqualTo("feature");
    }
}
