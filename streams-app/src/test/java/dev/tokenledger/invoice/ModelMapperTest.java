package dev.tokenledger.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.ModelMapping;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapping rules' order and their edges: overrides first, ambiguity, fallbacks, the book's dates. */
class ModelMapperTest {

    private static final LocalDate DAY = LocalDate.of(2026, 10, 1);

    private static PriceBook book(Path dir, String entries) throws Exception {
        Path file = dir.resolve("book.yaml");
        Files.writeString(file, "entries:\n" + entries);
        return PriceBooks.load(file);
    }

    @Test
    void shouldLeaveAnAmbiguousBedrockServiceNameUnmapped(@TempDir Path dir) throws Exception {
        PriceBook book = book(dir, """
                  - {provider: aws.bedrock, model: "anthropic.claude-3-haiku-20240307-v1:0", standard: {input_per_mtok: "0.25"}}
                  - {provider: aws.bedrock, model: "anthropic.claude-3-haiku-20250101-v1:0", standard: {input_per_mtok: "0.25"}}
                """);
        ModelMapper mapper = new ModelMapper(book, ModelOverrides.NONE);

        assertThat(mapper.map("aws.bedrock", "Claude 3 Haiku (Amazon Bedrock Edition)", ModelRule.BEDROCK_SERVICE, DAY))
                .isEqualTo(new ModelMapper.Mapped(null, ModelMapping.unmapped));
    }

    @Test
    void shouldFallBackToTheUndatedAzureNameWhenTheBookHasNoSuchSnapshot(@TempDir Path dir) throws Exception {
        PriceBook book = book(dir, """
                  - {provider: azure.ai.openai, model: gpt-4o, standard: {input_per_mtok: "2.50"}}
                """);
        assertThat(new ModelMapper(book, ModelOverrides.NONE).map("azure.ai.openai", "gpt-4o-1120", ModelRule.AZURE_METER, DAY))
                .isEqualTo(new ModelMapper.Mapped("gpt-4o", ModelMapping.azure_meter));
    }

    @Test
    void shouldMapOnlyToModelsInTheBookOnTheBillingDay(@TempDir Path dir) throws Exception {
        PriceBook book = book(dir, """
                  - {provider: openai, model: gpt-6, effective_from: 2026-11-01, standard: {input_per_mtok: "5.00"}}
                """);
        ModelMapper mapper = new ModelMapper(book, ModelOverrides.NONE);

        assertThat(mapper.map("openai", "gpt-6", ModelRule.MODEL_ID, DAY).mapping()).isEqualTo(ModelMapping.unmapped);
        assertThat(mapper.map("openai", "gpt-6", ModelRule.MODEL_ID, LocalDate.of(2026, 11, 1)).mapping())
                .isEqualTo(ModelMapping.exact);
    }

    @Test
    void shouldPreferTheOverrideAndMapALineNamingNoModelOnlyByOne(@TempDir Path dir) throws Exception {
        PriceBook book = book(dir, """
                  - {provider: openai, model: gpt-4o, standard: {input_per_mtok: "2.50"}}
                """);
        ModelOverrides overrides = ModelOverrides.parse("o.csv", "openai,gpt-4o,gpt-4o-2024-05-13\nopenai,web search tool calls,gpt-4o\n");
        ModelMapper mapper = new ModelMapper(book, overrides);

        assertThat(mapper.map("openai", "GPT-4o", ModelRule.MODEL_ID, DAY))
                .isEqualTo(new ModelMapper.Mapped("gpt-4o-2024-05-13", ModelMapping.override));
        assertThat(mapper.map("openai", "web search tool calls", ModelRule.NONE, DAY))
                .isEqualTo(new ModelMapper.Mapped("gpt-4o", ModelMapping.override));
        assertThat(new ModelMapper(book, ModelOverrides.NONE).map("openai", "gpt-4o", ModelRule.NONE, DAY).mapping())
                .isEqualTo(ModelMapping.unmapped);
        assertThat(book.models("OpenAI")).containsExactly("gpt-4o");
        assertThat(book.models("cohere")).isEmpty();
    }
}
