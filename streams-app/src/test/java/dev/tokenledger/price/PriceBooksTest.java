package dev.tokenledger.price;

import static dev.tokenledger.price.UsageEvents.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.money.Money;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceBooksTest {

    /** Tests run in the streams-app module directory; the example book is at the repository root. */
    private static final Path EXAMPLE = Path.of("..", "examples", "pricebook.yaml");

    @TempDir
    Path dir;

    @Test
    void shouldDetectEachFormatByContent() throws IOException {
        Path litellm = dir.resolve("prices.json");
        Files.writeString(litellm, "{\"gpt-4o\": {\"litellm_provider\": \"openai\", \"input_cost_per_token\": 2.5e-6}}");
        Path nativeJson = dir.resolve("book.json");
        Files.writeString(nativeJson, "{\"entries\": [{\"provider\": \"openai\", \"model\": \"gpt-4o\","
                + " \"standard\": {\"input_per_mtok\": \"2.50\"}}]}");

        assertThat(PriceBooks.detect(litellm)).isEqualTo(PriceBooks.Format.LITELLM_JSON);
        assertThat(PriceBooks.detect(nativeJson)).isEqualTo(PriceBooks.Format.NATIVE_JSON);
        assertThat(PriceBooks.detect(EXAMPLE)).isEqualTo(PriceBooks.Format.NATIVE_YAML);
        assertThat(PriceBooks.load(litellm).lookup("openai", "gpt-4o", null, Instant.now()).orElseThrow()
                .entry().getSource()).isEqualTo("litellm");
        assertThat(PriceBooks.load(nativeJson).lookup("openai", "gpt-4o", null, Instant.now())).isPresent();
    }

    @Test
    void shouldRejectAFileInNeitherFormat() throws IOException {
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"hello\": \"world\"}");

        assertThatThrownBy(() -> PriceBooks.load(other)).isInstanceOf(PriceBookFormatException.class);
    }

    @Test
    void shouldLoadTheShippedDefaultBook() {
        PriceBook book = PriceBooks.loadDefault();

        assertThat(book.size()).isGreaterThan(1_400);
        assertThat(book.lookup("anthropic", "claude-sonnet-4-5", null, Instant.now())).isPresent();
    }

    @Test
    void shouldPriceTheExampleBookAcrossItsPriceChange() {
        PriceBook book = PriceBooks.load(EXAMPLE);
        // o3 before the 2025-06-10 cut: $10/M input -> 1,000,000 x 0.00001 = 10; after: $2/M -> 2.
        var before = call("openai", "o3").setInputTokens(1_000_000).setTimestamp(Instant.parse("2025-06-09T23:59:59Z"));
        var after = call("openai", "o3").setInputTokens(1_000_000).setTimestamp(Instant.parse("2025-06-10T00:00:00Z"));

        assertThat(CostEngine.price(before.build(), book).total()).isEqualTo(Money.parse("10"));
        assertThat(CostEngine.price(after.build(), book).total()).isEqualTo(Money.parse("2"));
        // The example's Bedrock us. profile: 100,000 x $3.30/M = 0.33.
        assertThat(CostEngine.price(call("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
                .setInputTokens(100_000).build(), book).total()).isEqualTo(Money.parse("0.33"));
    }
}
