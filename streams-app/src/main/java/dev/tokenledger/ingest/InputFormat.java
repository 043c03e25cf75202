package dev.tokenledger.ingest;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The input formats tokenledger reads, by the name the CLI's {@code --input-format} (and HTTP ingest's path) uses. */
public enum InputFormat {
    NATIVE("native", NativeAdapter::new),
    OTLP_JSON("otlp-json", OtlpJsonAdapter::new),
    OTLP_PROTO("otlp-proto", OtlpProtoAdapter::new),
    LITELLM("litellm", LiteLlmAdapter::new),
    HELICONE("helicone", HeliconeAdapter::new),
    PORTKEY("portkey", PortkeyAdapter::new),
    CLOUDEVENTS("cloudevents", CloudEventsAdapter::new),
    OPENAI_USAGE("openai-usage", () -> new RawUsageAdapter(InputFormatHolder.OPENAI_USAGE)),
    ANTHROPIC_USAGE("anthropic-usage", () -> new RawUsageAdapter(InputFormatHolder.ANTHROPIC_USAGE)),
    BEDROCK_USAGE("bedrock-usage", () -> new RawUsageAdapter(InputFormatHolder.BEDROCK_USAGE));

    private final String cliName;
    private final Supplier<InputAdapter> factory;
    private volatile InputAdapter adapter;

    InputFormat(String cliName, Supplier<InputAdapter> factory) {
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
            a = factory.get();
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

    /** Constants a constructor reference in an enum constant's own initialiser cannot name directly. */
    private static final class InputFormatHolder {
        static final String OPENAI_USAGE = "openai-usage";
        static final String ANTHROPIC_USAGE = "anthropic-usage";
        static final String BEDROCK_USAGE = "bedrock-usage";
    }
}
