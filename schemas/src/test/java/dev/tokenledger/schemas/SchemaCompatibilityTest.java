package dev.tokenledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The build gate for schema evolution: every schema in src/main/avro must be BACKWARD compatible
 * with every released version frozen in src/compat and with the version committed in git HEAD.
 * A failure here means a consumer upgraded to the new schema could not read data already on the topic.
 */
class SchemaCompatibilityTest {

    @TestFactory
    List<DynamicTest> currentSchemasReadEveryReleasedVersion() throws IOException {
        Map<String, Schema> current = SchemaFiles.current();
        List<DynamicTest> tests = new ArrayList<>();
        SchemaFiles.snapshots().forEach((name, versions) -> {
            for (SchemaFiles.Snapshot snapshot : versions) {
                tests.add(dynamicTest(name + " reads v" + snapshot.version(), () -> {
                    assertThat(current).as("%s was released (%s) and must not be deleted", name, snapshot.file())
                            .containsKey(name);
                    assertThat(BackwardCompatibility.problems(current.get(name), snapshot.parse()))
                            .as("%s is not BACKWARD compatible with released %s", name, snapshot.file())
                            .isEmpty();
                }));
            }
        });
        return tests;
    }

    @TestFactory
    List<DynamicTest> currentSchemasReadTheCommittedVersion() throws Exception {
        Optional<Map<String, String>> committed = SchemaFiles.committedSources();
        if (committed.isEmpty() || committed.get().isEmpty()) {
            return List.of(); // not a git checkout: the snapshots alone guard compatibility
        }
        Map<String, Schema> before = AvscSet.parse(committed.get());
        Map<String, Schema> now = SchemaFiles.current();
        List<DynamicTest> tests = new ArrayList<>();
        before.forEach((name, old) -> tests.add(dynamicTest(name + " reads git HEAD", () -> {
            assertThat(now).as("%s exists in git HEAD and must not be deleted", name).containsKey(name);
            assertThat(BackwardCompatibility.problems(now.get(name), old))
                    .as("%s is not BACKWARD compatible with the version in git HEAD", name)
                    .isEmpty();
        })));
        return tests;
    }

    @Test
    void shouldNumberSnapshotsFromOneWithoutGaps() throws IOException {
        SchemaFiles.snapshots().forEach((name, versions) -> assertThat(versions)
                .as("snapshots of %s must be v1.avsc, v2.avsc, ... with no gaps", name)
                .extracting(SchemaFiles.Snapshot::version)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, versions.size()).boxed().toList()));
    }
}
