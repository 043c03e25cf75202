package dev.tokenledger.govern;

import dev.tokenledger.avro.SpendContributor;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * A bounded map of the largest contributors to a scope's spend. When it is full, a new contributor
 * replaces the smallest one, whose spend moves to {@code untracked}: the state stays small however
 * many features a global scope sees, every tracked amount is exact spend (never an estimate), and
 * tracked plus untracked always equals the scope's spend. A contributor that was evicted and came
 * back is under-counted by what it spent while out, so reported amounts are lower bounds.
 */
public final class Contributors {

    private static final Comparator<SpendContributor> LARGEST_FIRST =
            Comparator.comparing(SpendContributor::getSpend).reversed().thenComparing(SpendContributor::getName);

    private Contributors() {
    }

    /**
     * Adds {@code amount} to {@code name} in {@code tracked} (mutated in place).
     *
     * @return the new untracked amount
     */
    public static BigDecimal add(List<SpendContributor> tracked, BigDecimal untracked, String name, BigDecimal amount,
                                 int capacity) {
        for (SpendContributor c : tracked) {
            if (c.getName().equals(name)) {
                c.setSpend(plus(c.getSpend(), amount));
                return untracked;
            }
        }
        if (amount.signum() == 0) {
            return untracked;
        }
        if (tracked.size() < capacity) {
            tracked.add(new SpendContributor(name, Money.of(amount).toBigDecimal()));
            return untracked;
        }
        SpendContributor smallest = tracked.stream().min(LARGEST_FIRST.reversed()).orElseThrow();
        BigDecimal evicted = smallest.getSpend();
        smallest.setName(name);
        smallest.setSpend(Money.of(amount).toBigDecimal());
        return plus(untracked, evicted);
    }

    /** The {@code n} largest, largest first; ties in name order. */
    public static List<SpendContributor> top(List<SpendContributor> tracked, int n) {
        return tracked.stream().sorted(LARGEST_FIRST).limit(n)
                .map(c -> new SpendContributor(c.getName(), c.getSpend())).toList();
    }

    /** Which dimension names a scope's contributors: models within a feature, features elsewhere. */
    public static String dimension(String scopeType) {
        return Scope.FEATURE.equals(scopeType) ? "model" : "feature";
    }

    private static BigDecimal plus(BigDecimal a, BigDecimal b) {
        return Money.of(a).plus(Money.of(b)).toBigDecimal();
    }
}
