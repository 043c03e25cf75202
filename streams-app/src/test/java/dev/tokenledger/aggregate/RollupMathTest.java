package dev.tokenledger.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.price.PricingResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupMathTest {

    private static final PriceBook BOOK = PriceBooks.loadDefault();
    private static final long HOUR = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final String DIMS = "search|rerank|-|-|openai|gpt-4o";

    /** Generated traffic (retries, failures, cache, unknown models, provider-reported costs) priced by the real engine. */
    private static List<PricedUsage> calls(int n) {
        TrafficGenerator generator = new TrafficGenerator(GeneratorOptions.demoDefaults().withDuplicateRate(0).withMalformedRate(0));
        List<PricedUsage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UsageEvent e = generator.next();
            e.setTimestamp(Instant.ofEpochMilli(HOUR + i * 1_000L));
            PricingResult r = CostEngine.price(e, BOOK);
            out.add(PricedUsage.newBuilder().setEvent(e).setBilledModel(r.billedModel()).setCost(r.toAvroCost())
                    .setPrice(r.price()).setFlags(r.flagNames())
                    .setAttribution(new Attribution("search", "rerank", null, null, null, "tagged"))
                    .setPricedAt(Instant.ofEpochMilli(HOUR)).build());
        }
        return out;
    }

    @Test
    void shouldGiveTheSameRollupWhetherCallsAreAddedOneByOneOrAsMergedPartials() {
        List<PricedUsage> calls = calls(500);
        Rollup direct = RollupMath.empty(Granularity.DAILY, HOUR - 10 * 3_600_000L, DIMS);
        calls.forEach(c -> RollupMath.add(direct, c));

        Rollup merged = RollupMath.empty(Granularity.DAILY, HOUR - 10 * 3_600_000L, DIMS);
        for (int from = 0; from < calls.size(); from += 37) {
            Rollup partial = RollupMath.empty(Granularity.HOURLY, HOUR, DIMS);
            calls.subList(from, Math.min(calls.size(), from + 37)).forEach(c -> RollupMath.add(partial, c));
            RollupMath.merge(merged, partial);
        }

        // Every field, counts and exact decimals alike: a field merge forgot would differ here.
        assertThat(merged).isEqualTo(direct);
        assertThat(direct.getRetries()).isPositive();
        assertThat(direct.getFailures()).isPositive();
        assertThat(direct.getCacheReadInputTokens()).isPositive();
        assertThat(direct.getLastEventAt()).isEqualTo(Instant.ofEpochMilli(HOUR + 499_000L));
    }

    @Test
    void shouldLeaveTheTargetWindowAndDimensionsAsTheyWere() {
        Rollup daily = RollupMath.empty(Granularity.DAILY, HOUR - 10 * 3_600_000L, DIMS);
        Rollup partial = RollupMath.empty(Granularity.HOURLY, HOUR, DIMS);
        calls(3).forEach(c -> RollupMath.add(partial, c));

        RollupMath.merge(daily, partial);

        assertThat(daily.getGranularity()).isEqualTo("daily");
        assertThat(daily.getWindowStart()).isEqualTo(Instant.ofEpochMilli(HOUR - 10 * 3_600_000L));
        assertThat(daily.getRequests()).isEqualTo(3);
        assertThat(daily.getCost().getTotal()).isEqualByComparingTo(partial.getCost().getTotal());
    }
}
