package dev.tokenledger.invoice;

/** How a source names its model, which decides the mapping rules {@link ModelMapper} tries. */
enum ModelRule {
    /** A model id as the provider's API spells it (OpenAI, Anthropic): exact, else without its date. */
    MODEL_ID,
    /** A Bedrock service name, {@code Claude 3.5 Sonnet (Amazon Bedrock Edition)}, or a usage-type model, {@code NovaPro}. */
    BEDROCK_SERVICE,
    /** The model words of an Azure meter, {@code gpt-4o-0806} or {@code gpt 4o mini}. */
    AZURE_METER,
    /** The model words of a Google Cloud SKU, {@code Gemini 2.5 Flash}. */
    VERTEX_SKU,
    /** The line names no model (a tool fee, tax, an account credit): only an override maps it. */
    NONE
}
