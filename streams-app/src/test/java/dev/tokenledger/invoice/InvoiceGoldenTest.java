package dev.tokenledger.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.avro.ModelMapping;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.price.PriceBook;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each format's golden file, read field by field; the lines' sum is the file's total to the last digit. */
class InvoiceGoldenTest {

    private static final LocalDate OCT_1 = LocalDate.of(2026, 10, 1);
    private static final LocalDate OCT_2 = LocalDate.of(2026, 10, 2);

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount).setScale(12);
    }

    @Test
    void shouldReadEveryOpenAiCostsLine() throws Exception {
        InvoiceFile file = InvoiceFixtures.reader().read(InvoiceFixtures.path("openai-costs.json"), null);

        assertThat(file.format()).isEqualTo(InvoiceFormat.OPENAI);
        assertThat(file.lines()).extracting(InvoiceLine::getBilledModel, InvoiceLine::getModel, InvoiceLine::getMapping,
                        InvoiceLine::getChargeClass, InvoiceLine::getServiceTier, InvoiceLine::getBatch,
                        InvoiceLine::getAmountUsd, InvoiceLine::getProject, InvoiceLine::getBillingDay)
                .containsExactly(
                        tuple("gpt-4o-2024-08-06", "gpt-4o", ModelMapping.dated_snapshot, ChargeClass.uncached_input, null, false, usd("12.5"), "proj_search", OCT_1),
                        tuple("gpt-4o-2024-08-06", "gpt-4o", ModelMapping.dated_snapshot, ChargeClass.cache_read, null, false, usd("0.625"), "proj_search", OCT_1),
                        tuple("gpt-4o-2024-08-06", "gpt-4o", ModelMapping.dated_snapshot, ChargeClass.output, null, false, usd("20.40"), "proj_search", OCT_1),
                        tuple("gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18", ModelMapping.exact, ChargeClass.cache_read, null, false, usd("0.0042"), "proj_support", OCT_1),
                        tuple("gpt-5", "gpt-5", ModelMapping.exact, ChargeClass.output, "priority", false, usd("3.1"), "proj_search", OCT_1),
                        tuple("gpt-4o", "gpt-4o", ModelMapping.exact, ChargeClass.output, null, true, usd("1.25"), "proj_support", OCT_1),
                        tuple("web search tool calls", null, ModelMapping.unmapped, ChargeClass.fees, null, false, usd("0.5"), "proj_search", OCT_1),
                        tuple("ft:gpt-4o-mini-2024-07-18:acme::b1x2", null, ModelMapping.unmapped, ChargeClass.uncached_input, null, false, usd("0.987654321012"), null, OCT_1),
                        tuple("gpt-4o-2024-08-06", "gpt-4o", ModelMapping.dated_snapshot, ChargeClass.uncached_input, null, false, usd("7.25"), "proj_search", OCT_2));
        InvoiceLine first = file.lines().get(0);
        assertThat(first.getLineId()).isEqualTo("openai|proj_search|2026-10-01|gpt-4o-2024-08-06|uncached_input|-|-|gpt-4o-2024-08-06, input");
        assertThat(first.getProvider()).isEqualTo("openai");
        assertThat(first.getSourceFormat()).isEqualTo("openai");
        assertThat(first.getSourceFile()).isEqualTo("openai-costs.json");
        assertThat(first.getSourceLine()).isEqualTo("[0].data[0].results[0]");
        assertThat(file.lines().get(8).getSourceLine()).isEqualTo("[1].data[0].results[0]");
        assertThat(file.lines()).allSatisfy(line -> {
            assertThat(line.getEffectiveCostUsd()).isNull();
            assertThat(line.getQuantity()).isNull();
            assertThat(line.getUnit()).isNull();
            assertThat(line.getAccount()).isNull();
            assertThat(line.getWorkspace()).isNull();
            assertThat(line.getAmountUsd().scale()).isEqualTo(12);
        });
        assertThat(file.totalUsd()).isEqualTo(usd("46.616854321012"));
    }

    @Test
    void shouldReadAnthropicCentsAsExactDollars() throws Exception {
        InvoiceFile file = InvoiceFixtures.reader().read(InvoiceFixtures.path("anthropic-cost-report.json"), null);

        assertThat(file.format()).isEqualTo(InvoiceFormat.ANTHROPIC);
        String ws = "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ";
        assertThat(file.lines()).extracting(InvoiceLine::getBilledModel, InvoiceLine::getModel, InvoiceLine::getMapping,
                        InvoiceLine::getChargeClass, InvoiceLine::getServiceTier, InvoiceLine::getBatch,
                        InvoiceLine::getAmountUsd, InvoiceLine::getWorkspace, InvoiceLine::getBillingDay)
                .containsExactly(
                        tuple("claude-sonnet-4-20250514", "claude-sonnet-4-20250514", ModelMapping.exact, ChargeClass.uncached_input, "standard", false, usd("1.2345"), ws, OCT_1),
                        tuple("claude-sonnet-4-20250514", "claude-sonnet-4-20250514", ModelMapping.exact, ChargeClass.cache_read, "standard", false, usd("0.000042"), ws, OCT_1),
                        tuple("claude-sonnet-4-20250514", "claude-sonnet-4-20250514", ModelMapping.exact, ChargeClass.cache_write, "standard", false, usd("0.375"), ws, OCT_1),
                        tuple("claude-sonnet-4-20250514", "claude-sonnet-4-20250514", ModelMapping.exact, ChargeClass.cache_write, "standard", false, usd("0.60"), ws, OCT_1),
                        tuple("claude-sonnet-4-20250514", "claude-sonnet-4-20250514", ModelMapping.exact, ChargeClass.output, "standard", false, usd("15.0075"), ws, OCT_1),
                        tuple("claude-3-5-haiku-20241022", "claude-3-5-haiku", ModelMapping.dated_snapshot, ChargeClass.output, null, true, usd("0.25"), null, OCT_1),
                        tuple("Web Search", null, ModelMapping.unmapped, ChargeClass.fees, null, false, usd("10"), ws, OCT_1),
                        tuple("claude-opus-4-1-20250805", null, ModelMapping.unmapped, ChargeClass.uncached_input, "standard", false, usd("3.105"), null, OCT_1),
                        tuple("claude-sonnet-4-20250514", "claude-sonnet-4-20250514", ModelMapping.exact, ChargeClass.uncached_input, "standard", false, usd("0.888"), ws, OCT_2));
        assertThat(file.lines().get(2).getLineId()).isEqualTo("anthropic|" + ws + "|2026-10-01|claude-sonnet-4-20250514"
                + "|cache_write|standard|-|tokens|cache_creation.ephemeral_5m_input_tokens|0-200k");
        assertThat(file.lines().get(3).getLineId()).endsWith("|cache_creation.ephemeral_1h_input_tokens|0-200k");
        assertThat(file.lines().get(1).getSourceLine()).isEqualTo("data[0].results[1]");
        assertThat(file.lines()).allSatisfy(line -> {
            assertThat(line.getProvider()).isEqualTo("anthropic");
            assertThat(line.getProject()).isNull();
            assertThat(line.getQuantity()).isNull();
        });
        assertThat(file.totalUsd()).isEqualTo(usd("31.460042"));
    }

    @Test
    void shouldReadBedrockFocusWithCreditsCommitmentsAndOtherServicesLeftOut() throws Exception {
        InvoiceFile file = InvoiceFixtures.reader().read(InvoiceFixtures.path("focus-aws.csv"), null);

        assertThat(file.format()).isEqualTo(InvoiceFormat.FOCUS);
        String sonnet = "anthropic.claude-3-5-sonnet-20240620-v1:0";
        String edition = "Claude 3.5 Sonnet (Amazon Bedrock Edition)";
        assertThat(file.lines()).extracting(InvoiceLine::getSourceLine, InvoiceLine::getBilledModel, InvoiceLine::getModel,
                        InvoiceLine::getMapping, InvoiceLine::getChargeClass, InvoiceLine::getBatch,
                        InvoiceLine::getAmountUsd, InvoiceLine::getEffectiveCostUsd, InvoiceLine::getQuantity, InvoiceLine::getUnit)
                .containsExactly(
                        tuple("2", edition, sonnet, ModelMapping.bedrock_service_name, ChargeClass.uncached_input, false, usd("3.75"), usd("3.75"), usd("1250000"), "tokens"),
                        tuple("3", edition, sonnet, ModelMapping.bedrock_service_name, ChargeClass.output, false, usd("3.00"), usd("3.00"), usd("200000"), "tokens"),
                        tuple("4", edition, sonnet, ModelMapping.bedrock_service_name, ChargeClass.cache_read, false, usd("0.15"), usd("0.15"), usd("500000"), "tokens"),
                        tuple("5", "Claude 3.5 Sonnet v2 (Amazon Bedrock Edition)", "anthropic.claude-3-5-sonnet-20241022-v2:0", ModelMapping.bedrock_service_name, ChargeClass.uncached_input, false, usd("0.30"), usd("0.30"), usd("100000"), "tokens"),
                        tuple("6", "NovaPro", "amazon.nova-pro-v1:0", ModelMapping.bedrock_service_name, ChargeClass.uncached_input, false, usd("0.80"), usd("0.80"), usd("1000000"), "tokens"),
                        tuple("7", edition, sonnet, ModelMapping.bedrock_service_name, ChargeClass.output, false, usd("0"), usd("2.40"), usd("160000"), "tokens"),
                        tuple("8", edition, sonnet, ModelMapping.bedrock_service_name, ChargeClass.uncached_input, true, usd("1.875"), usd("1.875"), usd("1250000"), "tokens"),
                        tuple("9", edition, sonnet, ModelMapping.bedrock_service_name, ChargeClass.other, false, usd("-5.00"), usd("-5.00"), null, null),
                        tuple("10", "Amazon Bedrock", null, ModelMapping.unmapped, ChargeClass.other, false, usd("0.42"), usd("0.42"), null, null),
                        tuple("12", "Claude Opus 4.1 (Amazon Bedrock Edition)", null, ModelMapping.unmapped, ChargeClass.uncached_input, false, usd("0.0000015"), usd("0.0000015"), usd("100"), "tokens"));
        assertThat(file.lines()).allSatisfy(line -> {
            assertThat(line.getProvider()).isEqualTo("aws.bedrock");
            assertThat(line.getAccount()).isEqualTo("123456789012");
            assertThat(line.getBillingDay()).isEqualTo(OCT_1);
            assertThat(line.getServiceTier()).isNull();
            assertThat(line.getSourceFile()).isEqualTo("focus-aws.csv");
        });
        assertThat(file.lines().get(0).getLineId()).isEqualTo("aws.bedrock|123456789012|2026-10-01|" + edition
                + "|uncached_input|-|-|Usage|2026-10-01T00:00:00Z|" + edition + "|Input Tokens USE1-Claude3.5Sonnet-input-tokens|-");
        assertThat(file.lines().get(5).getLineId()).as("the commitment-covered row is its own line, told apart by its resource")
                .endsWith("|arn:aws:bedrock:us-east-1:123456789012:provisioned-model/x1y2z3");
        assertThat(file.skippedServices()).isEqualTo(Map.of("Amazon Elastic Compute Cloud", 1));
        assertThat(file.totalUsd()).isEqualTo(usd("5.2950015"));
    }

    @Test
    void shouldReadAzureMetersWithTheirBlockSizes() throws Exception {
        InvoiceFile file = InvoiceFixtures.reader().read(InvoiceFixtures.path("focus-azure.csv"), null);

        assertThat(file.lines()).extracting(InvoiceLine::getBilledModel, InvoiceLine::getModel, InvoiceLine::getMapping,
                        InvoiceLine::getChargeClass, InvoiceLine::getAmountUsd, InvoiceLine::getQuantity, InvoiceLine::getUnit)
                .containsExactly(
                        tuple("gpt-4o-0806", "gpt-4o-2024-08-06", ModelMapping.azure_meter, ChargeClass.uncached_input, usd("6.25"), usd("2500000"), "tokens"),
                        tuple("gpt-4o-0806", "gpt-4o-2024-08-06", ModelMapping.azure_meter, ChargeClass.output, usd("4.00"), usd("400000"), "tokens"),
                        tuple("gpt 4o mini", "gpt-4o-mini", ModelMapping.azure_meter, ChargeClass.cache_read, usd("0.0225"), usd("300000"), "tokens"),
                        tuple("gpt-35-turbo", null, ModelMapping.unmapped, ChargeClass.uncached_input, usd("0.6"), usd("1200000"), "tokens"),
                        tuple("Azure OpenAI", null, ModelMapping.unmapped, ChargeClass.other, usd("-1.50"), null, null));
        assertThat(file.lines()).allSatisfy(line -> {
            assertThat(line.getProvider()).isEqualTo("azure.ai.openai");
            assertThat(line.getAccount()).isEqualTo("5f8c2a7e-1d3b-4c9a-8e2f-7a6b5c4d3e2f");
        });
        assertThat(file.totalUsd()).isEqualTo(usd("9.3725"));
    }

    @Test
    void shouldReadVertexSkus() throws Exception {
        InvoiceFile file = InvoiceFixtures.reader().read(InvoiceFixtures.path("focus-gcp.csv"), null);

        assertThat(file.lines()).extracting(InvoiceLine::getBilledModel, InvoiceLine::getModel, InvoiceLine::getMapping,
                        InvoiceLine::getChargeClass, InvoiceLine::getAmountUsd, InvoiceLine::getQuantity)
                .containsExactly(
                        tuple("Gemini 2.5 Flash", "gemini-2.5-flash", ModelMapping.vertex_sku, ChargeClass.uncached_input, usd("0.90"), usd("3000000")),
                        tuple("Gemini 2.5 Flash", "gemini-2.5-flash", ModelMapping.vertex_sku, ChargeClass.reasoning, usd("1.25"), usd("500000")),
                        tuple("Gemini 2.5 Flash", "gemini-2.5-flash", ModelMapping.vertex_sku, ChargeClass.cache_read, usd("0.03"), usd("1000000")),
                        tuple("Gemini 2.5 Flash", "gemini-2.5-flash", ModelMapping.vertex_sku, ChargeClass.other, usd("-0.10"), null));
        assertThat(file.lines()).allSatisfy(line -> {
            assertThat(line.getProvider()).isEqualTo("gcp.vertex_ai");
            assertThat(line.getAccount()).isEqualTo("acme-prod-381207");
            assertThat(line.getBillingDay()).isEqualTo(OCT_1);
        });
        assertThat(file.totalUsd()).isEqualTo(usd("2.08"));
    }

    @Test
    void shouldReadGeminiApiSkusAsTheGeminiProvider() throws Exception {
        String csv = "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ConsumedQuantity,ConsumedUnit,ServiceName,SkuMeter,SubAccountId\n"
                + "0.60,USD,Usage,2026-10-01T00:00:00Z,2000000,Tokens,Gemini API,Gemini 2.5 Flash Text Input Tokens,acme-ai-prod\n"
                + "0.25,USD,Usage,2026-10-01T00:00:00Z,100000,Tokens,Generative Language API,Gemini 2.5 Flash Thinking Text Output Tokens,acme-ai-prod\n";
        PriceBook book = PriceBook.of(List.of(PriceEntry.newBuilder().setProvider("gcp.gemini").setModel("gemini-2.5-flash")
                .setEffectiveFrom(Instant.EPOCH).setStandard(PriceRates.newBuilder().setInput(new BigDecimal("0.0000003"))
                        .setOutput(new BigDecimal("0.0000025")).build()).build()));

        InvoiceFile file = new InvoiceReader(new ModelMapper(book, ModelOverrides.NONE)).read("gemini.csv", csv, null);

        assertThat(file.lines()).extracting(InvoiceLine::getProvider, InvoiceLine::getModel, InvoiceLine::getMapping,
                        InvoiceLine::getChargeClass, InvoiceLine::getAmountUsd)
                .containsExactly(
                        tuple("gcp.gemini", "gemini-2.5-flash", ModelMapping.vertex_sku, ChargeClass.uncached_input, usd("0.60")),
                        tuple("gcp.gemini", "gemini-2.5-flash", ModelMapping.vertex_sku, ChargeClass.reasoning, usd("0.25")));
        assertThat(file.skippedServices()).isEmpty();
    }
}
