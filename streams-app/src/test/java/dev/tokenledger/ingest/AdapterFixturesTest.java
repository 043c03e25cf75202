package dev.tokenledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.price.PricingResult;
import java.io.IOException;
import java.io.InputStream;
import dev.tokenledger.money.Money;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each adapter's golden fixture (in the shape its source documents) against the same calls written
 * by hand in our native format ({@code NAME.native.jsonl} beside it): the same events, field for
 * field, and so the same prices with the shipped book, to the last digit.
 */
class AdapterFixturesTest {

    static PriceBook book;

    @BeforeAll
    static void loadBook() {
        book = PriceBooks.loadDefault();
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of(InputFormat.OTLP_JSON, "otlp-json/traces.json", 2, 2),
                Arguments.of(InputFormat.OTLP_PROTO, "otlp-proto/traces.pb", 2, 2),
                Arguments.of(InputFormat.LITELLM, "litellm/callback.json", 2, 0),
                Arguments.of(InputFormat.LITELLM, "litellm/spend-logs.jsonl", 2, 0),
                Arguments.of(InputFormat.HELICONE, "helicone/export.json", 1, 0),
                Arguments.of(InputFormat.HELICONE, "helicone/lines.jsonl", 2, 0),
                Arguments.of(InputFormat.PORTKEY, "portkey/logs.jsonl", 2, 0),
                Arguments.of(InputFormat.CLOUDEVENTS, "cloudevents/structured.json", 1, 0),
                Arguments.of(InputFormat.CLOUDEVENTS, "cloudevents/batch.json", 2, 0),
                Arguments.of(InputFormat.OPENAI_USAGE, "openai-usage/envelopes.jsonl", 2, 0),
                Arguments.of(InputFormat.OPENAI_USAGE, "openai-usage/response-body.json", 1, 0),
                Arguments.of(InputFormat.ANTHROPIC_USAGE, "anthropic-usage/messages.jsonl", 2, 0),
                Arguments.of(InputFormat.BEDROCK_USAGE, "bedrock-usage/converse.jsonl", 2, 0));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixtures")
    void shouldMakeTheEventsItsNativeTwinHoldsAndPriceThemToTheLastDigit(InputFormat format, String fixture, int events, int ignored)
            throws IOException {
        AdapterResult adapted = format.adapter().parse(resource(fixture), AttributionKeys.defaults());
        String twin = fixture.substring(0, fixture.lastIndexOf('.')) + ".native.jsonl";
        AdapterResult expected = InputFormat.NATIVE.adapter().parse(resource(twin), AttributionKeys.defaults());

        assertThat(adapted.rejects()).as("rejects").isEmpty();
        assertThat(expected.rejects()).as("twin rejects").isEmpty();
        assertThat(adapted.ignored()).as("ignored").isEqualTo(ignored);
        assertThat(adapted.usageEvents()).hasSize(events).containsExactlyElementsOf(expected.usageEvents());

        Money adaptedTotal = Money.ZERO;
        Money twinTotal = Money.ZERO;
        for (int i = 0; i < events; i++) {
            PricingResult a = CostEngine.price(adapted.usageEvents().get(i), book);
            PricingResult t = CostEngine.price(expected.usageEvents().get(i), book);
            assertThat(a.price()).as("priced by the shipped book: " + adapted.usageEvents().get(i).getRequestModel()).isNotNull();
            assertThat(a.total().signum()).as("a real cost").isPositive();
            assertThat(List.of(a.uncachedInput(), a.cacheRead(), a.cacheWrite(), a.output(), a.reasoning(), a.fees(), a.total()))
                    .containsExactlyElementsOf(List.of(t.uncachedInput(), t.cacheRead(), t.cacheWrite(), t.output(), t.reasoning(), t.fees(), t.total()));
            assertThat(a.flagNames()).isEqualTo(t.flagNames());
            adaptedTotal = adaptedTotal.plus(a.total());
            twinTotal = twinTotal.plus(t.total());
        }
        assertThat(adaptedTotal.toPlainString()).isEqualTo(twinTotal.toPlainString());
    }

    @Test
    void theProtobufFixtureIsWhatTheOtlpClassesBuild() throws IOException {
        assertThat(resource("otlp-proto/traces.pb")).isEqualTo(OtlpProtoFixture.request().toByteArray());
    }

    @Test
    void anthropicsExclusiveInputIsMadeInclusiveAndPricedAsTheReadmeExample() throws IOException {
        // The README's example event, sent as Anthropic's raw usage: input_tokens 2410 excludes 36000 + 9800 cache tokens.
        UsageEvent e = InputFormat.ANTHROPIC_USAGE.adapter().parse(resource("anthropic-usage/messages.jsonl"), AttributionKeys.defaults())
                .usageEvents().get(0);
        assertThat(e.getInputTokens()).isEqualTo(48210);
        assertThat(e.getCacheCreation1hInputTokens()).isEqualTo(6000);
        assertThat(CostEngine.price(e, book).total().toPlainString()).isEqualTo("0.072540000000");
    }

    @Test
    void portkeyCentsBecomeDollarsExactly() throws IOException {
        List<UsageEvent> events = InputFormat.PORTKEY.adapter().parse(resource("portkey/logs.jsonl"), AttributionKeys.defaults()).usageEvents();
        assertThat(events.get(0).getProviderReportedCostUsd().toPlainString()).isEqualTo("0.000702000000");
        assertThat(events.get(1).getProviderReportedCostUsd().toPlainString()).isEqualTo("0.015000000000");
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = AdapterFixturesTest.class.getResourceAsStream("/adapters/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
