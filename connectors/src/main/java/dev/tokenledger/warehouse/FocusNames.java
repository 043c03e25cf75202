package dev.tokenledger.warehouse;

import java.util.Locale;
import java.util.Map;

/**
 * The names a FOCUS row gives an LLM provider's charges: who provides and invoices the service (one name, so that
 * BilledCost is what that issuer bills), the service, and the model's publisher, which differs from the provider
 * on a cloud (Claude on Amazon Bedrock is provided by AWS and published by Anthropic).
 */
final class FocusNames {

    /** gen_ai.provider.name to the provider's own name for itself. */
    private static final Map<String, String> PROVIDERS = Map.ofEntries(
            Map.entry("openai", "OpenAI"),
            Map.entry("anthropic", "Anthropic"),
            Map.entry("aws.bedrock", "AWS"),
            Map.entry("azure.ai.openai", "Microsoft"),
            Map.entry("azure.ai.inference", "Microsoft"),
            Map.entry("gcp.vertex_ai", "Google Cloud"),
            Map.entry("gcp.gemini", "Google Cloud"),
            Map.entry("gcp.gen_ai", "Google Cloud"),
            Map.entry("cohere", "Cohere"),
            Map.entry("deepseek", "DeepSeek"),
            Map.entry("groq", "Groq"),
            Map.entry("mistral_ai", "Mistral AI"),
            Map.entry("perplexity", "Perplexity"),
            Map.entry("x_ai", "xAI"),
            Map.entry("ibm.watsonx.ai", "IBM"));

    private static final Map<String, String> SERVICES = Map.ofEntries(
            Map.entry("openai", "OpenAI API"),
            Map.entry("anthropic", "Claude API"),
            Map.entry("aws.bedrock", "Amazon Bedrock"),
            Map.entry("azure.ai.openai", "Azure OpenAI"),
            Map.entry("azure.ai.inference", "Azure AI Foundry Models"),
            Map.entry("gcp.vertex_ai", "Vertex AI"),
            Map.entry("gcp.gemini", "Gemini API"),
            Map.entry("gcp.gen_ai", "Generative Language API"));

    private FocusNames() {
    }

    /** ProviderName and InvoiceIssuerName; an unknown provider keeps its gen_ai.provider.name. */
    static String provider(String provider) {
        return PROVIDERS.getOrDefault(provider, provider);
    }

    static String service(String provider) {
        String known = SERVICES.get(provider);
        return known != null ? known : provider(provider) + " API";
    }

    /** Who made the model, from its name (any region or vendor prefix such as {@code us.anthropic.} included). */
    static String publisher(String provider, String model) {
        String m = model.toLowerCase(Locale.ROOT);
        if (m.contains("claude")) {
            return "Anthropic";
        }
        if (m.startsWith("gpt") || m.contains("/gpt") || m.matches("(.*[./])?o\\d.*") || m.contains("dall-e")
                || m.contains("whisper") || m.contains("text-embedding") || m.startsWith("openai.")) {
            return "OpenAI";
        }
        if (m.contains("gemini") || m.contains("gemma")) {
            return "Google";
        }
        if (m.contains("llama")) {
            return "Meta";
        }
        if (m.contains("mistral") || m.contains("mixtral") || m.contains("codestral")) {
            return "Mistral AI";
        }
        if (m.contains("nova") || m.contains("titan")) {
            return "Amazon";
        }
        if (m.contains("command") || m.startsWith("cohere.")) {
            return "Cohere";
        }
        if (m.contains("deepseek")) {
            return "DeepSeek";
        }
        if (m.contains("grok")) {
            return "xAI";
        }
        return provider(provider);
    }
}
