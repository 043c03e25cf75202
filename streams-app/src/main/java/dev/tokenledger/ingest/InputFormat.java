package dev.tokenledger.ingest;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The input formats tokenledger reads, by the name the CLI's {@code --input-format} (and HTTP ingest's path) uses. */
public enum InputFormat {
    NATIVE("native", f -> new NativeAdapter()),
    OTLP_JSON("otlp-json", f -> new OtlpJsonAdapter()),
    OTLP_PROTO("otlp-proto", f -> new OtlpProtoAdapter()),
    LITELLM("litellm", f -> new LiteLlmAdapter()),
    HELICONE("helicone", f -> new HeliconeAdapter()),
    PORTKEY("portkey", f -> new PortkeyAdapter()),
    CLOUDEVENTS("cloudevents", f -> new CloudEventsAdapter()),
    OPENAI_USAGE("openai-usage", RawUsageAdapter::new),
    ANTHROPIC_USAGE("anthropic-usage", RawUsageAdapter::new),
    BEDROCK_USAGE("bedrock-usage", RawUsageAdapter::new);

    private final String cliName;
    private final Function<InputFormat, InputAdapter> factory;
    private volatile InputAdapter adapter;

    InputFormat(String cliName, Function<InputFormat, InputAdapter> factory) {
        this.cliName = cliName;
        this.factory = factory;
    }

    /** {@code otlp-json}, {@code anthropic-usage}, ... */
    public String cliName() {
        return cliName;
    }

    /** The adapter for this format (stateless, shared). */
    public InputAdapter adapter() {
        InputAdapter a = adapter;
        if (a == null) {
            a = factory.apply(this);
            adapter = a;
        }
        return a;
    }

    public static InputFormat named(String name) {
        for (InputFormat f : values()) {
            if (f.cliName.equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown input format '" + name + "'; one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(InputFormat::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
