package dev.tokenledger.govern;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Readable budgets, calls and priced events for the govern tests (priced events for the rollup tests too). */
public final class GovernFixtures {

    private GovernFixtures() {
    }

    public static BigDecimal usd(String amount) {
        return Money.parse(amount).toBigDecimal();
    }

    static Budget budget(String scopeType, String scopeId, String period, String amount, int softPct, int hardPct, String action) {
        return Budget.newBuilder()
                .setScopeType(scopeType)
                .setScopeId(scopeId)
                .setPeriod(period)
                .setAmountUsd(usd(amount))
                .setSoftPct(softPct)
                .setHardPct(hardPct)
                .setAction(action)
                .setOwner("owner-of-" + scopeId + "@example.com")
                .setUpdatedAt(Instant.EPOCH)
                .build();
    }

    static GovernSpend call(String requestId, Instant at, String cost, String feature, String model) {
        return GovernSpend.newBuilder()
                .setRequestId(requestId)
                .setEventTime(at)
                .setCost(usd(cost))
                .setTeam("search")
                .setFeature(feature)
                .setModel(model)
                .setOwner("ana@example.com")
                .build();
    }

    static GovernSpend call(String requestId, Instant at, String cost) {
        return call(requestId, at, cost, "semantic-search", "gpt-4o");
    }

    /** A priced call costing {@code total}, all of it output, attributed to search / semantic-search. */
    public static PricedUsage.Builder priced(String requestId, Instant at, String total) {
        BigDecimal zero = Money.ZERO.toBigDecimal();
        UsageEvent event = UsageEvent.newBuilder()
                .setRequestId(requestId)
                .setTimestamp(at)
                .setProvider("openai")
                .setRequestModel("gpt-4o")
                .setInputTokens(1_000)
                .setOutputTokens(100)
                .setTeam("search")
                .setFeature("semantic-search")
                .setCustomerId("acme")
                .setEnvironment("production")
                .build();
        return PricedUsage.newBuilder()
                .setEvent(event)
                .setBilledModel("gpt-4o")
                .setCost(new CostBreakdown(zero, zero, zero, usd(total), zero, zero, usd(total)))
                .setPrice(null)
                .setFlags(List.of())
                .setAttribution(new Attribution("search", "semantic-search", "cc-search", "core", "ana@example.com", "tagged"))
                .setPricedAt(at);
    }
}
