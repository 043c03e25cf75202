package dev.tokenledger.testing;

import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small, readable fixtures for tests: events and price entries with round published prices. */
public final class TestEvents {

    private TestEvents() {
    }

    /** USD per million tokens as an exact per-token rate at the contract's scale. */
    public static BigDecimal perMillion(String usd) {
        return new BigDecimal(usd).movePointLeft(6).setScale(18);
    }

    public static PriceEntry price(String provider, String model, Instant effectiveFrom, String inputPerM, String outputPerM) {
        return PriceEntry.newBuilder()
                .setProvider(provider)
                .setModel(model)
                .setRegion(null)
                .setEffectiveFrom(effectiveFrom)
                .setSource("test")
                .setAliases(List.of())
                .setStandard(new PriceRates(perMillion(inputPerM), perMillion(outputPerM), null, null, null, null))
                .setBatch(null).setFlex(null).setPriority(null)
                .setLongContextTiers(List.of())
                .setPerCallFees(Map.of())
                .build();
    }

    public static UsageEvent.Builder event(String requestId, Instant at) {
        return UsageEvent.newBuilder()
                .setRequestId(requestId)
                .setTimestamp(at)
                .setProvider("openai")
                .setRequestModel("gpt-4o")
                .setInputTokens(1_000)
                .setOutputTokens(100)
                .setStatus("success")
                .setTeam("search")
                .setFeature("semantic-search")
                .setCustomerId("acme")
                .setEnvironment("production");
    }

    public static Ownership feature(String feature, String team, String owner) {
        return new Ownership("feature", feature, feature, team, "cc-" + team, "core", owner);
    }

    public static Ownership apiKey(String key, String feature, String team, String owner) {
        return new Ownership("api_key", key, feature, team, "cc-" + team, "core", owner);
    }
}
