package dev.tokenledger.generator;

import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One line of a synthesized invoice while the month is summed: what it bills at each stage of planting (the derived
 * cost first, then after each planted cause in turn), so that the difference a cause makes is known per line, exactly.
 */
final class BilledLine {

    /** How a call's cost splits into invoice lines: the cost engine's classes, with cache writes by duration. */
    enum BilledClass {
        UNCACHED_INPUT(ChargeClass.uncached_input),
        CACHE_READ(ChargeClass.cache_read),
        CACHE_WRITE_5M(ChargeClass.cache_write),
        CACHE_WRITE_1H(ChargeClass.cache_write),
        OUTPUT(ChargeClass.output),
        REASONING(ChargeClass.reasoning),
        FEES(ChargeClass.fees);

        final ChargeClass chargeClass;

        BilledClass(ChargeClass chargeClass) {
            this.chargeClass = chargeClass;
        }
    }

    /**
     * What tells lines apart.
     *
     * @param scope       the project, workspace or account billed (null: the provider's default)
     * @param region      the call's region, where it has one (Bedrock)
     * @param billedModel the model as the provider names it on the line (the response model, or a reroute's target)
     * @param bookModel   the price-book model it was priced as; null on a fee line, which names no model
     * @param tier        flex or priority; null for standard
     * @param longContext priced at a long-context tier
     */
    record Key(String provider, LocalDate day, String scope, String region, String billedModel, String bookModel,
               BilledClass billedClass, String tier, boolean batch, boolean longContext) {

        static final Comparator<Key> ORDER = Comparator.comparing(Key::provider).thenComparing(Key::day)
                .thenComparing(Key::scope, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Key::region, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Key::billedModel).thenComparing(Key::billedClass)
                .thenComparing(Key::tier, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Key::batch).thenComparing(Key::longContext);
    }

    final Key key;
    /** Exact cost at each stage, index 0 the derived cost. */
    final Money[] cost;
    /** Tokens (calls, for fees) at each stage. */
    final long[] quantity;

    BilledLine(Key key, int stages) {
        this.key = key;
        this.cost = new Money[stages];
        Arrays.fill(cost, Money.ZERO);
        this.quantity = new long[stages];
    }

    void add(int stage, Money amount, long count) {
        cost[stage] = cost[stage].plus(amount);
        quantity[stage] += count;
    }

    Money finalCost() {
        return cost[cost.length - 1];
    }

    long finalQuantity() {
        return quantity[quantity.length - 1];
    }

    /** Whether the invoice shows the line: something billed or consumed after every cause. */
    boolean billed() {
        return !finalCost().isZero() || finalQuantity() != 0;
    }

    /** The stage's amount as the provider writes it: {@code scale} decimal places of USD, half-even. */
    BigDecimal rounded(int stage, int scale) {
        return cost[stage].toBigDecimal().setScale(scale, RoundingMode.HALF_EVEN);
    }
}
