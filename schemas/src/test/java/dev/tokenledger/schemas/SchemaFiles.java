package dev.tokenledger.schemas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * Where the schemas live: the current sources, the frozen snapshots of released versions
 * ({@code src/compat/<Name>/v<N>.avsc}), and the sources committed in git HEAD.
 */
final class SchemaFiles {

    static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    static final Path SOURCES = MODULE.resolve("src/main/avro");
    static final Path SNAPSHOTS = MODULE.resolve("src/compat");

    private SchemaFiles() {
    }

    /** A released version of one schema, frozen as a self-contained .avsc. */
    record Snapshot(String schemaName, int version, Path file) {
        Schema parse() throws IOException {
            return AvscSet.parseStandalone(schemaName, Files.readString(file, StandardCharsets.UTF_8));
        }
    }

    static Map<String, Schema> current() throws IOException {
        return AvscSet.parse(AvscSet.readDirectory(SOURCES));
    }

    /** Snapshots per schema name, each list in version order. */
    static Map<String, List<Snapshot>> snapshots() throws IOException {
        Map<String, List<Snapshot>> bySchema = new TreeMap<>();
        if (!Files.isDirectory(SNAPSHOTS)) {
            return bySchema;
        }
        try (Stream<Path> dirs = Files.list(SNAPSHOTS)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                List<Snapshot> versions = new ArrayList<>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        versions.add(new Snapshot(name, versionOf(file), file));
                    }
                }
                versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
                bySchema.put(name, versions);
            }
        }
        return bySchema;
    }

    /** {@code v3.avsc} is version 3; any other file name in a snapshot folder is version -1 (flagged by a test). */
    static int versionOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith("v") || !name.endsWith(".avsc")) {
            return -1;
        }
        String digits = name.substring(1, name.length() - ".avsc".length());
        if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    /**
     * The schema sources as committed in git HEAD, or empty when this is not a git checkout
     * (a source tarball) or git is not installed.
     */
    static Optional<Map<String, String>> committedSources() throws IOException, InterruptedException {
        Optional<String> listing = git("ls-tree", "--name-only", "HEAD", "./src/main/avro/");
        if (listing.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> sources = new TreeMap<>();
        for (String path : listing.get().split("\n")) {
            if (path.endsWith(".avsc")) {
                String name = path.substring(path.lastIndexOf('/') + 1).replace(".avsc", "");
                Optional<String> source = git("show", "HEAD:./src/main/avro/" + name + ".avsc");
                source.ifPresent(s -> sources.put(name, s));
            }
        }
        return Optional.of(sources);
    }

    private static Optional<String> git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(MODULE.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException gitNotInstalled) {
            return Optional.empty();
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
