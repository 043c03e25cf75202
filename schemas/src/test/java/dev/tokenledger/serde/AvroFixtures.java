package dev.tokenledger.serde;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.PriceRef;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic records with decimals, timestamps, nulls, arrays and maps, for the serde tests. */
public final class AvroFixtures {

    public static final Instant REQUEST_END = Instant.parse("2026-03-01T10:15:30.123Z");
    public static final Instant PRICE_FROM = Instant.parse("2026-01-01T00:00:00Z");
    public static final Instant PRICED_AT = Instant.parse("2026-03-01T10:15:31.007Z");

    private AvroFixtures() {}

    public static UsageEvent usageEvent(String requestId) {
        return UsageEvent.newBuilder()
                .setRequestId(requestId)
                .setRetryOf(null)
                .setTimestamp(REQUEST_END)
                .setGateway("gw-eu-1")
                .setProvider("anthropic")
                .setRequestModel("claude-sonnet-4-5")
                .setResponseModel(null)
                .setInputTokens(12_000)
                .setCacheReadInputTokens(8_000)
                .setCacheCreationInputTokens(1_000)
                .setCacheCreation1hInputTokens(250)
                .setOutputTokens(900)
                .setReasoningOutputTokens(300)
                .setLatencyMs(1_432L)
                .setProviderReportedCostUsd(money("0.048912345678"))
                .setTeam("search")
                .setFeature("answer-summaries")
                .setEnvironment("production")
                .setCustomerId(null)
                .setAttributes(Map.of("region_hint", "eu", "experiment", "b"))
                .build();
    }

    public static PricedUsage pricedUsage(String requestId, boolean priced) {
        return PricedUsage.newBuilder()
                .setEvent(usageEvent(requestId))
                .setBilledModel("claude-sonnet-4-5")
                .setCost(CostBreakdown.newBuilder()
                        .setUncachedInput(money("0.008250000000"))
                        .setCacheRead(money("0.002400000000"))
                        .setCacheWrite(money("0.005625000000"))
                        .setOutput(money("0.009000000000"))
                        .setReasoning(money("0.004500000000"))
                        .setFees(money("0"))
                        .setTotal(money("0.029775000000"))
                        .build())
                .setPrice(priced ? PriceRef.newBuilder()
                        .setProvider("anthropic")
                        .setModel("claude-sonnet-4-5")
                        .setRegion(null)
                        .setEffectiveFrom(PRICE_FROM)
                        .setTier("standard")
                        .build() : null)
                .setFlags(priced ? List.of() : List.of("unpriced"))
                .setAttribution(Attribution.newBuilder()
                        .setTeam("search")
                        .setFeature("answer-summaries")
                        .setCostCenter("CC-1042")
                        .setProductLine(null)
                        .setOwner("ana@example.com")
                        .setMethod("tagged")
                        .build())
                .setPricedAt(PRICED_AT)
                .build();
    }

    /** USD at the contract's money scale (12), as Avro requires for decimal(38,12). */
    public static BigDecimal money(String amount) {
        return new BigDecimal(amount).setScale(12);
    }
}
