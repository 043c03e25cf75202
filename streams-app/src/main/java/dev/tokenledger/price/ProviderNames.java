package dev.tokenledger.price;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Provider names: OpenTelemetry {@code gen_ai.provider.name} values are canonical; LiteLLM's
 * {@code litellm_provider} values (and the prefixes LiteLLM puts on model names) map onto them.
 */
public final class ProviderNames {

    public static final String OPENAI = "openai";
    public static final String ANTHROPIC = "anthropic";
    public static final String AWS_BEDROCK = "aws.bedrock";
    public static final String AZURE_OPENAI = "azure.ai.openai";
    public static final String GCP_VERTEX_AI = "gcp.vertex_ai";
    public static final String GCP_GEMINI = "gcp.gemini";

    /** Well-known gen_ai.provider.name values of the OpenTelemetry GenAI conventions. */
    private static final Set<String> OTEL = Set.of(
            "openai", "anthropic", "aws.bedrock", "azure.ai.openai", "azure.ai.inference", "gcp.gemini",
            "gcp.vertex_ai", "gcp.gen_ai", "cohere", "deepseek", "groq", "mistral_ai", "perplexity", "x_ai",
            "ibm.watsonx.ai");

    private static final Map<String, String> FROM_LITELLM = Map.ofEntries(
            Map.entry("openai", "openai"),
            Map.entry("text-completion-openai", "openai"),
            Map.entry("anthropic", "anthropic"),
            Map.entry("bedrock", AWS_BEDROCK),
            Map.entry("bedrock_converse", AWS_BEDROCK),
            Map.entry("vertex_ai", "gcp.vertex_ai"),
            Map.entry("gemini", "gcp.gemini"),
            Map.entry("palm", "gcp.gen_ai"),
            Map.entry("azure", AZURE_OPENAI),
            Map.entry("azure_text", AZURE_OPENAI),
            Map.entry("azure_ai", "azure.ai.inference"),
            Map.entry("mistral", "mistral_ai"),
            Map.entry("codestral", "mistral_ai"),
            Map.entry("text-completion-codestral", "mistral_ai"),
            Map.entry("cohere", "cohere"),
            Map.entry("cohere_chat", "cohere"),
            Map.entry("groq", "groq"),
            Map.entry("deepseek", "deepseek"),
            Map.entry("xai", "x_ai"),
            Map.entry("perplexity", "perplexity"),
            Map.entry("watsonx", "ibm.watsonx.ai"));

    private ProviderNames() {
    }

    /** The gen_ai.provider.name for a LiteLLM provider; providers OpenTelemetry does not name keep LiteLLM's name. */
    static String fromLiteLlm(String litellmProvider) {
        String p = litellmProvider.trim().toLowerCase(Locale.ROOT);
        String mapped = FROM_LITELLM.get(p);
        if (mapped != null) {
            return mapped;
        }
        // vertex_ai-language-models, vertex_ai-anthropic_models, ...: all billed by Vertex AI.
        if (p.startsWith("vertex_ai")) {
            return "gcp.vertex_ai";
        }
        return p;
    }

    /** The canonical name for a provider as an event or a book spells it (OTel name, or a LiteLLM name). */
    public static String canonical(String provider) {
        String p = provider.trim().toLowerCase(Locale.ROOT);
        return OTEL.contains(p) ? p : fromLiteLlm(p);
    }

    /** Whether a leading {@code segment/} of a model name names a provider (LiteLLM style) and can be stripped. */
    static boolean isModelPrefix(String segment) {
        String s = segment.toLowerCase(Locale.ROOT);
        return OTEL.contains(s) || FROM_LITELLM.containsKey(s) || s.startsWith("vertex_ai");
    }
}
