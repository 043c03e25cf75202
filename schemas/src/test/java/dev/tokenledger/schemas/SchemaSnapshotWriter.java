package dev.tokenledger.schemas;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Freezes the current version of schemas as the next released snapshot. Not part of the normal
 * test run (the class name does not end in Test); run it on purpose when releasing a change:
 * {@code mvn -pl schemas test -Dtest=SchemaSnapshotWriter -Dsnapshot=UsageEvent,PricedUsage}
 * ({@code -Dsnapshot=all} for every schema). A snapshot inlines every type it uses, so it stays the
 * exact writer schema of that release even when a shared type changes later.
 */
class SchemaSnapshotWriter {

    @Test
    @EnabledIfSystemProperty(named = "snapshot", matches = ".+")
    void writeNextSnapshot() throws Exception {
        Map<String, Schema> current = SchemaFiles.current();
        String wanted = System.getProperty("snapshot");
        List<String> names = wanted.equals("all") ? List.copyOf(current.keySet()) : List.of(wanted.split(","));
        Map<String, List<SchemaFiles.Snapshot>> released = SchemaFiles.snapshots();
        for (String name : names) {
            Schema schema = current.get(name.trim());
            if (schema == null) {
                throw new IllegalArgumentException("No schema " + name + " in " + SchemaFiles.SOURCES);
            }
            List<SchemaFiles.Snapshot> versions = released.getOrDefault(name.trim(), List.of());
            if (!versions.isEmpty() && versions.get(versions.size() - 1).parse().equals(schema)) {
                System.out.println(name + " is unchanged since v" + versions.size() + ": nothing written");
                continue;
            }
            Path file = SchemaFiles.SNAPSHOTS.resolve(name.trim()).resolve("v" + (versions.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, schema.toString(true) + "\n", StandardCharsets.UTF_8);
            System.out.println("wrote " + file);
        }
    }
}
