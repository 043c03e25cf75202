package dev.tokenledger.schemas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;

/**
 * Parses a set of .avsc sources that refer to each other by name (PricedUsage names UsageEvent,
 * CostBreakdown, PriceRef and Attribution). One {@link SchemaParser} reads them all before any
 * reference is resolved, so the order of the files does not matter.
 */
final class AvscSet {

    private AvscSet() {
    }

    /** The .avsc sources of a directory, keyed by file name without the extension. */
    static Map<String, String> readDirectory(Path dir) throws IOException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                String name = file.getFileName().toString().replace(".avsc", "");
                sources.put(name, Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return sources;
    }

    /** Parses and resolves every source; throws naming the file when one does not parse. */
    static Map<String, Schema> parse(Map<String, String> sourcesByName) {
        SchemaParser parser = new SchemaParser();
        Map<String, SchemaParser.ParseResult> unresolved = new LinkedHashMap<>();
        sourcesByName.forEach((name, source) -> {
            try {
                unresolved.put(name, parser.parse(source));
            } catch (AvroRuntimeException e) {
                throw new IllegalStateException(name + ".avsc does not parse: " + e.getMessage(), e);
            }
        });
        Map<String, Schema> resolved = new TreeMap<>();
        unresolved.forEach((name, result) -> {
            try {
                resolved.put(name, parser.resolve(result));
            } catch (AvroRuntimeException e) {
                throw new IllegalStateException(name + ".avsc names an unknown type: " + e.getMessage(), e);
            }
        });
        return resolved;
    }

    /** Parses one self-contained schema (a frozen snapshot inlines every type it uses). */
    static Schema parseStandalone(String name, String source) {
        return parse(Map.of(name, source)).get(name);
    }
}
