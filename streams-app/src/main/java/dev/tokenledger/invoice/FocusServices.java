package dev.tokenledger.invoice;

import dev.tokenledger.csv.CsvTable;
import dev.tokenledger.price.ProviderNames;
import java.util.Locale;
import java.util.regex.Pattern;

/** Which provider a FOCUS row bills for, and the model it names, by the cloud's conventions. */
final class FocusServices {

    static final String BEDROCK_EDITION = "(Amazon Bedrock Edition)";
    /** An AWS usage-type region code leading the usage type: {@code USE1}, {@code EUC1}, {@code APN1}. */
    private static final Pattern AWS_REGION_CODE = Pattern.compile("[A-Z]{2,5}\\d?");

    /** The model as the row names it and the rule that maps it. */
    record Billed(String name, ModelRule rule) {
    }

    private FocusServices() {
    }

    /**
     * The gen_ai.provider.name of an LLM service: Bedrock's service names (third-party models are sold as
     * {@code <Model> (Amazon Bedrock Edition)}), Azure OpenAI / Foundry Models, Vertex AI, and the Gemini API (Google AI
     * Studio keys billed to a Google Cloud project, formerly the Generative Language API); null for any other service.
     */
    static String providerOf(String serviceName, String providerName) {
        String s = serviceName.toLowerCase(Locale.ROOT);
        if (s.contains("bedrock")) {
            return ProviderNames.AWS_BEDROCK;
        }
        if (s.contains("openai") || s.equals("foundry models")) {
            return ProviderNames.AZURE_OPENAI;
        }
        if (s.contains("vertex ai")) {
            return ProviderNames.GCP_VERTEX_AI;
        }
        if (s.equals("gemini api") || s.equals("generative language api")) {
            return ProviderNames.GCP_GEMINI;
        }
        return null;
    }

    static Billed billedModel(String provider, CsvTable.Row row) {
        String service = row.get("ServiceName");
        String meter = row.optional("x_SkuMeterName") != null ? row.get("x_SkuMeterName") : row.get("SkuMeter");
        String named = switch (provider) {
            case ProviderNames.AWS_BEDROCK -> service.endsWith(BEDROCK_EDITION) ? service : usageTypeModel(row.get("x_UsageType"));
            default -> FocusMeter.modelWords(meter);
        };
        if (named == null) {
            return new Billed(service, ModelRule.NONE);
        }
        ModelRule rule = switch (provider) {
            case ProviderNames.AWS_BEDROCK -> ModelRule.BEDROCK_SERVICE;
            case ProviderNames.AZURE_OPENAI -> ModelRule.AZURE_METER;
            default -> ModelRule.VERTEX_SKU;
        };
        return new Billed(named, rule);
    }

    /**
     * A first-party Bedrock model is billed under the service "Amazon Bedrock"; its usage type names it:
     * {@code USE1-NovaPro-input-tokens} is {@code NovaPro}. Null when the usage type names none.
     */
    static String usageTypeModel(String usageType) {
        String[] parts = usageType.split("-");
        int i = parts.length > 1 && AWS_REGION_CODE.matcher(parts[0]).matches() ? 1 : 0;
        if (i >= parts.length || parts[i].isBlank()) {
            return null;
        }
        String model = FocusMeter.modelWords(parts[i]);
        return model == null || !model.equals(parts[i]) ? null : model;
    }
}
