package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How a command finds the cluster: layered configuration, as {@code tokenledger run} documents it. */
public final class ConfigOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (tokenledger.* keys and Kafka client keys).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "Confluent-compatible schema registry URL.")
    String schemaRegistryUrl;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any configuration key; wins over file and environment.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** defaults &lt; file &lt; TOKENLEDGER_*&#47;KAFKA_* environment &lt; command line. */
    public TokenLedgerConfig resolve() {
        return checked(mixee, this::build);
    }

    /** A configuration that does not validate is a usage error (exit 2, message and usage), not a stack trace. */
    static TokenLedgerConfig checked(CommandSpec spec, Supplier<TokenLedgerConfig> config) {
        try {
            return config.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private TokenLedgerConfig build() {
        TokenLedgerConfig.Builder b = TokenLedgerConfig.builder();
        if (configFile != null) {
            b.file(configFile);
        }
        b.environment(System.getenv());
        Map<String, String> cli = new LinkedHashMap<>();
        if (bootstrapServers != null) cli.put(TokenLedgerConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        if (schemaRegistryUrl != null) cli.put(TokenLedgerConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (cli.containsKey(e.getKey())) {
                throw new IllegalArgumentException("configuration key " + e.getKey() + " is given twice on the command line");
            }
            cli.put(e.getKey(), e.getValue());
        }
        return b.commandLine(cli).build();
    }
}
