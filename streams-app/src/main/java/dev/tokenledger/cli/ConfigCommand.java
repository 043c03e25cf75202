package dev.tokenledger.cli;

import dev.tokenledger.config.ConfigRegistry;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.warehouse.Table;
import dev.tokenledger.warehouse.TableFormat;
import dev.tokenledger.warehouse.TableRenderer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tokenledger config}: the configuration {@code run} would use, each value with the layer it came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the effective configuration: every key, its value and where it came from",
                "(default, file PATH, environment, command line). Exit codes: 0 ok, 2 an unknown key or invalid value."})
public final class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "Output format (default: ${DEFAULT-VALUE}); json gives every value as a string.")
    String format;

    @Override
    public Integer call() {
        TableFormat tableFormat;
        try {
            tableFormat = TableFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(TableRenderer.render(table(configOptions.resolve()), tableFormat));
        out.flush();
        return 0;
    }

    /** Declared keys first, in the registry's order, then whatever else was set (Kafka keys, feature ceilings). */
    static Table table(TokenLedgerConfig config) {
        Set<String> keys = new LinkedHashSet<>(ConfigRegistry.DEF.names());
        keys.addAll(config.asMap().keySet());
        List<List<String>> rows = new ArrayList<>();
        for (String key : keys) {
            rows.add(List.of(key, secret(key) ? "[hidden]" : config.get(key), config.source(key)));
        }
        return new Table("configuration", List.of("key", "value", "source"), rows);
    }

    // The output is meant to be pasted into tickets: keep credentials passed to Kafka out of it.
    private static boolean secret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.endsWith("jaas.config") || k.endsWith(".key")
                || k.endsWith("-tokens");
    }
}
