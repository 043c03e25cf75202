package dev.tokenledger.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DriversTest {

    static final BigDecimal[] HAIKU = SeasonalMonth.PRICES.get("claude-3-5-haiku");
    static final BigDecimal[] SONNET = SeasonalMonth.PRICES.get("claude-sonnet-4-5");

    /** {@code requests} calls of {@code input} uncached and {@code cached} cache-read input tokens and {@code output} output tokens each. */
    static Usage usage(long requests, long input, long cached, long output, BigDecimal[] p) {
        long uncached = requests * input;
        long cacheRead = requests * cached;
        long out = requests * output;
        BigDecimal u = Money.times(uncached, p[0]).toBigDecimal();
        BigDecimal cr = Money.times(cacheRead, p[1]).toBigDecimal();
        BigDecimal o = Money.times(out, p[3]).toBigDecimal();
        BigDecimal zero = Money.ZERO.toBigDecimal();
        return new Usage(requests, requests, 0, 0, 0, uncached + cacheRead, uncached, cacheRead, 0, out, 0,
                u, cr, zero, o, zero, zero, u.add(cr).add(o), zero);
    }

    static Map<String, Usage> models(Object... modelAndUsage) {
        Map<String, Usage> m = new TreeMap<>();
        for (int i = 0; i < modelAndUsage.length; i += 2) {
            m.put((String) modelAndUsage[i], (Usage) modelAndUsage[i + 1]);
        }
        return m;
    }

    static BigDecimal sum(Drivers.Decomposition d) {
        return d.volume().add(d.modelMix()).add(d.tokenShape()).add(d.rate());
    }

    @Test
    void shouldPutMoreRequestsAtTheSameCostPerRequestInVolume() {
        Map<String, Usage> before = models("a/haiku", usage(100, 1000, 0, 200, HAIKU));
        Map<String, Usage> after = models("a/haiku", usage(150, 1000, 0, 200, HAIKU));
        Drivers.Decomposition d = Drivers.decompose(before, 1, after, false);
        assertThat(d.expected()).isEqualByComparingTo("0.160");
        assertThat(d.actual()).isEqualByComparingTo("0.240");
        assertThat(d.impact()).isEqualByComparingTo("0.080");
        assertThat(d.volume()).isEqualByComparingTo("0.080");
        assertThat(d.modelMix()).isZero();
        assertThat(d.tokenShape()).isZero();
        assertThat(d.rate()).isZero();
    }

    @Test
    void shouldPutASwapToAPricierModelInModelMix() {
        Map<String, Usage> before = models("a/haiku", usage(100, 1000, 0, 200, HAIKU));
        Map<String, Usage> after = models("a/haiku", usage(10, 1000, 0, 200, HAIKU), "a/sonnet", usage(90, 1000, 0, 200, SONNET));
        Drivers.Decomposition d = Drivers.decompose(before, 1, after, true);
        assertThat(d.volume()).isZero();
        assertThat(d.modelMix()).isEqualByComparingTo(d.impact());
        assertThat(d.tokenShape()).isZero();
        assertThat(d.rate()).isZero();
        assertThat(d.mixFrom()).isEqualTo("a/haiku");
        assertThat(d.mixTo()).isEqualTo("a/sonnet");
        // (10 x 0.0016 + 90 x 0.006) / (100 x 0.0016) - 1 = +247.5 points
        assertThat(d.points(d.modelMix())).isCloseTo(247.5, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void shouldPutLongerInputsInTokenShapeAndCacheMissesInTheUncachedClass() {
        Map<String, Usage> before = models("a/haiku", usage(100, 200, 800, 200, HAIKU));
        Map<String, Usage> longer = models("a/haiku", usage(100, 400, 1600, 200, HAIKU));
        Drivers.Decomposition d = Drivers.decompose(before, 1, longer, true);
        assertThat(d.tokenShape()).isEqualByComparingTo(d.impact()).isPositive();
        assertThat(d.shapeClass()).isZero();
        assertThat(Explanations.shape(d)).isEqualTo("longer inputs");

        Map<String, Usage> missed = models("a/haiku", usage(100, 1000, 0, 200, HAIKU));
        Drivers.Decomposition m = Drivers.decompose(before, 1, missed, true);
        assertThat(m.tokenShape()).isEqualByComparingTo(m.impact()).isPositive();
        assertThat(Explanations.shape(m)).isEqualTo("cache misses");
    }

    @Test
    void shouldPutAPriceChangeInRate() {
        BigDecimal[] dearer = {HAIKU[0].multiply(BigDecimal.valueOf(2)), HAIKU[1], HAIKU[2], HAIKU[3]};
        Map<String, Usage> before = models("a/haiku", usage(100, 1000, 0, 200, HAIKU));
        Map<String, Usage> after = models("a/haiku", usage(100, 1000, 0, 200, dearer));
        Drivers.Decomposition d = Drivers.decompose(before, 1, after, false);
        assertThat(d.rate()).isEqualByComparingTo("0.08").isEqualByComparingTo(d.impact());
        assertThat(d.volume().signum() | d.modelMix().signum() | d.tokenShape().signum()).isZero();
    }

    @Test
    void shouldAverageTheReferenceHours() {
        Map<String, Usage> threeHours = models("a/haiku", usage(300, 1000, 0, 200, HAIKU));
        Map<String, Usage> hour = models("a/haiku", usage(100, 1000, 0, 200, HAIKU));
        Drivers.Decomposition d = Drivers.decompose(threeHours, 3, hour, false);
        assertThat(d.impact()).isZero();
        assertThat(d.referenceRequests()).isEqualByComparingTo("100");
    }

    @Test
    void shouldCallEverythingVolumeWhenTheReferenceHadNoRequests() {
        Drivers.Decomposition d = Drivers.decompose(Map.of(), 1, models("a/haiku", usage(10, 100, 0, 10, HAIKU)), false);
        assertThat(d.volume()).isEqualByComparingTo(d.impact()).isEqualByComparingTo(d.actual());
    }

    @Test
    void shouldRoundSoThatRateTakesTheRemainder() {
        // A third of a reference: every level has a non-terminating expansion.
        Map<String, Usage> before = models("a/haiku", usage(7, 333, 17, 101, HAIKU), "a/sonnet", usage(3, 1, 0, 1, SONNET));
        Map<String, Usage> after = models("a/haiku", usage(5, 331, 19, 97, HAIKU), "a/sonnet", usage(11, 3, 1, 2, SONNET));
        Drivers.Decomposition d = Drivers.decompose(before, 3, after, false);
        assertThat(sum(d)).isEqualTo(d.impact());
        assertThat(List.of(d.volume(), d.modelMix(), d.tokenShape(), d.rate(), d.impact(), d.expected()))
                .allSatisfy(x -> assertThat(x.scale()).isEqualTo(Money.SCALE));
    }

    @Provide
    Arbitrary<Usage> anyUsage() {
        Arbitrary<Long> requests = Arbitraries.longs().between(0, 5_000);
        Arbitrary<Long> tokens = Arbitraries.longs().between(0, 20_000);
        Arbitrary<BigDecimal[]> prices = Arbitraries.of(HAIKU, SONNET, SeasonalMonth.PRICES.get("gpt-4o-mini"),
                new BigDecimal[] {new BigDecimal("0.000000333333"), new BigDecimal("0.000000012345"), BigDecimal.ZERO, new BigDecimal("0.0000071")});
        return Combinators.combine(requests, tokens, tokens, tokens, prices).as(DriversTest::usage);
    }

    @Property(tries = 500)
    void shouldSumToTheImpactToTheLastDigit(@ForAll("anyUsage") Usage beforeA, @ForAll("anyUsage") Usage beforeB,
                                            @ForAll("anyUsage") Usage afterA, @ForAll("anyUsage") Usage afterC,
                                            @ForAll @IntRange(min = 1, max = 700) int referenceHours,
                                            @ForAll boolean atCurrentVolume) {
        Map<String, Usage> before = models("p/a", beforeA, "p/b", beforeB);
        Map<String, Usage> after = models("p/a", afterA, "p/c", afterC);
        Drivers.Decomposition d = Drivers.decompose(before, referenceHours, after, atCurrentVolume);
        assertThat(sum(d)).isEqualTo(d.impact());
        assertThat(d.actual().subtract(d.expected())).isEqualTo(d.impact());
        assertThat(d.actual()).isEqualTo(afterA.totalCost().add(afterC.totalCost()));
        if (atCurrentVolume) {
            assertThat(d.volume()).isZero();
        }
    }
}
