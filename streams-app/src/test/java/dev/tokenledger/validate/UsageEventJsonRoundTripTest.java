package dev.tokenledger.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.generator.GeneratedRecord;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TrafficGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The one JSON codec reads back exactly what it writes, over the edges the contract allows (years
 * 0000 to 9999, whole seconds, the largest decimal(38,12), empty attributes, every optional absent),
 * and for whatever the traffic generator produces.
 */
class UsageEventJsonRoundTripTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    private static final long LAST = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    private static final BigDecimal MAX_MONEY = new BigDecimal("99999999999999999999999999.999999999999");

    @Property(tries = 500)
    void shouldParseWhatItWrites(@ForAll("edgyEvents") UsageEvent e) throws IOException {
        assertThat(UsageEventJson.parse(UsageEventJson.toBytes(e)).event()).isEqualTo(e);
        assertThat(UsageEventJson.parse(UsageEventJson.toJson(e)).event()).isEqualTo(e);
        assertThat(UsageEventJson.toTree(e)).isEqualTo(MAPPER.readTree(UsageEventJson.toBytes(e)));
    }

    @Property(tries = 20)
    void shouldParseEveryGeneratedEvent(@ForAll long seed) {
        TrafficGenerator generator = new TrafficGenerator(
                GeneratorOptions.defaults(seed, Instant.parse("2026-11-02T00:00:00Z")).withMalformedRate(0));
        for (int i = 0; i < 200; i++) {
            if (generator.nextRecord() instanceof GeneratedRecord.Event generated) {
                UsageEvent e = generated.event();
                ParseResult result = UsageEventJson.parse(UsageEventJson.toBytes(e));
                assertThat(result.violations()).isEmpty();
                assertThat(result.event()).isEqualTo(e);
            }
        }
    }

    @Provide
    Arbitrary<UsageEvent> edgyEvents() {
        Arbitrary<Long> millis = Arbitraries.oneOf(Arbitraries.longs().between(FIRST, LAST),
                Arbitraries.longs().between(FIRST / 1000, LAST / 1000).map(s -> s * 1000), Arbitraries.of(FIRST, LAST, 0L));
        Arbitrary<BigDecimal> cost = Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(MAX_MONEY.negate(), MAX_MONEY).ofScale(12),
                Arbitraries.of(BigDecimal.ZERO, MAX_MONEY, new BigDecimal("0.000000000001")).map(d -> d.setScale(12)))
                .injectNull(0.3);
        Arbitrary<Map<String, String>> attributes = Arbitraries.maps(text(), text()).ofMaxSize(3).map(HashMap::new);
        Arbitrary<UsageEvent.Builder> head = Combinators.combine(text(), text().injectNull(0.5),
                Arbitraries.integers().between(1, Integer.MAX_VALUE), millis, text(), text(), text().injectNull(0.5),
                Arbitraries.longs().between(0, Long.MAX_VALUE)
        ).as((id, retryOf, attempt, at, provider, model, response, tokens) -> UsageEvent.newBuilder()
                .setRequestId(id).setRetryOf(retryOf).setAttempt(attempt).setTimestamp(Instant.ofEpochMilli(at))
                .setProvider(provider).setRequestModel(model).setResponseModel(response)
                .setInputTokens(tokens).setCacheReadInputTokens(tokens / 2).setCacheCreationInputTokens(tokens / 3)
                .setCacheCreation1hInputTokens(tokens / 5).setOutputTokens(tokens / 7).setReasoningOutputTokens(tokens / 11));
        return Combinators.combine(head, cost, attributes, text().injectNull(0.5), text().injectNull(0.5),
                Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.5), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, Integer.MAX_VALUE)
        ).as((b, reported, tags, team, other, latency, batch, searches) -> b
                .setProviderReportedCostUsd(reported).setAttributes(tags).setTeam(team).setFeature(other)
                .setEnvironment(team).setCustomerId(other).setWorkload(team).setApiKeyId(other).setAgentRunId(team)
                .setTaskId(other).setConversationId(team).setGateway(other).setRegion(team)
                .setLatencyMs(latency).setBatch(batch).setWebSearchCalls(searches)
                .setServiceTier(batch ? "flex" : "standard").setStatus(searches % 2 == 0 ? "success" : "error")
                .build());
    }

    /** Non-blank text, with what JSON must escape and characters beyond ASCII and the BMP. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\u0000', '\u00e9', '"', '\\', '\ud83d', '\ude00')
                .ofMinLength(1).ofMaxLength(16).filter(s -> !s.isBlank() && wellFormed(s));
    }

    /** A lone surrogate is not text at all; JSON cannot carry it, so it is not an event this codec must keep. */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(++i))) {
                    return false;
                }
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
