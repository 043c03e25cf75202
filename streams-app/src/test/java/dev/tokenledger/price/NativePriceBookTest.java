package dev.tokenledger.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PriceEntry;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativePriceBookTest {

    private static List<PriceEntry> yaml(String text) {
        return NativePriceBook.readYaml(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final String SONNET = """
            version: 1
            currency: USD
            entries:
              - provider: anthropic
                model: claude-sonnet-4-5-20250929
                aliases: [claude-sonnet-4-5]
                effective_from: 2025-09-29
                standard:
                  input_per_mtok: "3.00"
                  output_per_mtok: "15.00"
                  cache_read_per_mtok: "0.30"
                  cache_write_5m_per_mtok: "3.75"
                  cache_write_1h_per_mtok: "6.00"
                batch:
                  input_per_mtok: "1.50"
                long_context:
                  - above_input_tokens: 200000
                    input_per_mtok: "6.00"
                    output_per_mtok: "22.50"
                per_call_fees:
                  web_search: "0.01"
              - provider: internal
                model: llama-3.3-70b
                region: eu
                effective_from: 2025-11-01T09:30:00+01:00
                source: chargeback
                standard:
                  input_per_token: "0.00000023"
                  output_per_token: 0.0000004
            """;

    @Test
    void shouldConvertPerMillionPricesExactlyToPerTokenRates() {
        PriceEntry sonnet = yaml(SONNET).get(0);

        // "3.00" per 1M tokens = 3.00 / 1,000,000 = 0.000003 per token, exactly, at the book's 18 places.
        assertThat(sonnet.getStandard().getInput()).isEqualTo(new BigDecimal("0.000003000000000000"));
        assertThat(sonnet.getStandard().getCacheWrite5m()).isEqualTo(new BigDecimal("0.000003750000000000"));
        assertThat(sonnet.getStandard().getCacheWrite1h()).isEqualTo(new BigDecimal("0.000006000000000000"));
        assertThat(sonnet.getBatch().getInput()).isEqualTo(new BigDecimal("0.000001500000000000"));
        assertThat(sonnet.getBatch().getOutput()).isNull();
        assertThat(sonnet.getLongContextTiers().get(0).getAboveInputTokens()).isEqualTo(200_000L);
        assertThat(sonnet.getLongContextTiers().get(0).getRates().getOutput())
                .isEqualTo(new BigDecimal("0.000022500000000000"));
        assertThat(sonnet.getPerCallFees()).containsEntry("web_search", new BigDecimal("0.010000000000"));
        assertThat(sonnet.getAliases()).containsExactly("claude-sonnet-4-5");
        assertThat(sonnet.getEffectiveFrom()).isEqualTo(Instant.parse("2025-09-29T00:00:00Z"));
        assertThat(sonnet.getSource()).isEqualTo("native");
        assertThat(sonnet.getRegion()).isNull();
    }

    @Test
    void shouldReadPerTokenPricesDateTimesWithOffsetRegionAndSource() {
        PriceEntry llama = yaml(SONNET).get(1);

        assertThat(llama.getStandard().getInput()).isEqualTo(new BigDecimal("0.000000230000000000"));
        // An unquoted YAML number is read from its text as a decimal, not through a double.
        assertThat(llama.getStandard().getOutput()).isEqualTo(new BigDecimal("0.000000400000000000"));
        assertThat(llama.getEffectiveFrom()).isEqualTo(Instant.parse("2025-11-01T08:30:00Z"));
        assertThat(llama.getRegion()).isEqualTo("eu");
        assertThat(llama.getSource()).isEqualTo("chargeback");
    }

    @Test
    void shouldRoundTripThroughYamlToEqualEntries() {
        List<PriceEntry> original = yaml(SONNET);
        StringWriter out = new StringWriter();

        NativePriceBook.writeYaml(original, out);
        List<PriceEntry> back = yaml(out.toString());

        Comparator<PriceEntry> byKey = Comparator.comparing(PriceBook::keyOf);
        assertThat(back).usingElementComparator(byKey).containsExactlyInAnyOrderElementsOf(original);
        assertThat(back.stream().sorted(byKey).toList()).isEqualTo(original.stream().sorted(byKey).toList());
        assertThat(out.toString()).contains("input_per_mtok: \"3.00\"").contains("effective_from: 2025-09-29");
    }

    @Test
    void shouldRoundTripTheImportedLiteLlmMapExactly() {
        List<PriceEntry> litellm = PriceBooks.readDefault();
        StringWriter out = new StringWriter();

        NativePriceBook.writeYaml(litellm, out);
        List<PriceEntry> back = yaml(out.toString());

        Comparator<PriceEntry> byKey = Comparator.comparing(PriceBook::keyOf);
        assertThat(back.stream().sorted(byKey).toList()).isEqualTo(litellm.stream().sorted(byKey).toList());
    }

    @Test
    void shouldRejectUnknownKeysWithTheirLocation() {
        assertThatThrownBy(() -> yaml("""
                entries:
                  - provider: openai
                    model: gpt-4o
                    standard:
                      input_per_mtok: "2.50"
                      ouput_per_mtok: "10.00"
                """))
                .isInstanceOf(PriceBookFormatException.class)
                .hasMessageContaining("entries[0] (openai/gpt-4o).standard.ouput_per_mtok");
    }

    @Test
    void shouldRejectAPriceGivenBothPerTokenAndPerMillion() {
        assertThatThrownBy(() -> yaml("""
                entries:
                  - provider: openai
                    model: gpt-4o
                    standard:
                      input_per_mtok: "2.50"
                      input_per_token: "0.0000025"
                """))
                .isInstanceOf(PriceBookFormatException.class).hasMessageContaining("priced twice");
    }

    @Test
    void shouldRejectMorePrecisionThanTheBookHolds() {
        assertThatThrownBy(() -> yaml("""
                entries:
                  - provider: openai
                    model: gpt-4o
                    standard:
                      input_per_mtok: "2.5000000000001"
                """))
                .isInstanceOf(PriceBookFormatException.class).hasMessageContaining("12 decimal places");
    }

    @Test
    void shouldRejectBadDatesAndEntriesWithoutPrices() {
        assertThatThrownBy(() -> yaml("""
                entries:
                  - provider: openai
                    model: gpt-4o
                    effective_from: 01/11/2025
                    standard: {input_per_mtok: "2.50"}
                """))
                .isInstanceOf(PriceBookFormatException.class).hasMessageContaining("RFC 3339");
        assertThatThrownBy(() -> yaml("""
                entries:
                  - provider: openai
                    model: gpt-4o
                    standard: {cache_read_per_mtok: "1.25"}
                """))
                .isInstanceOf(PriceBookFormatException.class).hasMessageContaining("no_input_or_output_price");
    }
}
