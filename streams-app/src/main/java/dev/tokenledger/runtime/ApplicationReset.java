package dev.tokenledger.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * What Kafka's {@code kafka-streams-application-reset} does, with the Admin client (the kafka-tools
 * artifact is not a dependency): delete the application's internal topics and its consumer group's
 * committed offsets, so that it restarts from the inputs' {@code auto.offset.reset} (Kafka Streams'
 * default: earliest) with empty stores; plus the local state directory of this host.
 *
 * @param internalTopics  {@code <application.id>-…-changelog} and {@code -repartition} topics
 * @param offsets         the group's committed offsets, deleted with the group
 * @param members         members of the group; a reset is refused while any instance runs
 * @param stateDir        {@code <state.dir>/<application.id>}, if it exists
 */
public record ApplicationReset(String applicationId, List<String> internalTopics, Map<TopicPartition, Long> offsets,
                               int members, Path stateDir, boolean stateDirExists) {

    /** Looks, changes nothing. */
    public static ApplicationReset plan(Admin admin, String applicationId, Path stateRoot) throws ExecutionException, InterruptedException {
        List<String> internal = admin.listTopics().names().get().stream()
                .filter(t -> t.startsWith(applicationId + "-") && (t.endsWith("-changelog") || t.endsWith("-repartition")))
                .sorted().toList();
        Map<TopicPartition, Long> offsets = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        int members = 0;
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups()
                    .get(applicationId).get();
            members = group.members().size();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get();
            committed.forEach((tp, o) -> {
                if (o != null) {
                    offsets.put(tp, o.offset());
                }
            });
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
        }
        Path stateDir = stateRoot.resolve(applicationId);
        return new ApplicationReset(applicationId, internal, Collections.unmodifiableMap(offsets), members, stateDir, Files.isDirectory(stateDir));
    }

    public boolean nothingToDo() {
        return internalTopics.isEmpty() && offsets.isEmpty() && !stateDirExists;
    }

    /** Deletes what the plan lists; the caller has checked that no member is running. */
    public void execute(Admin admin) throws ExecutionException, InterruptedException {
        if (members > 0) {
            throw new IllegalStateException("consumer group " + applicationId + " has " + members + " members: stop every instance first");
        }
        if (!internalTopics.isEmpty()) {
            admin.deleteTopics(internalTopics).all().get();
        }
        if (!offsets.isEmpty()) {
            admin.deleteConsumerGroups(List.of(applicationId)).all().get();
        }
        if (stateDirExists) {
            deleteRecursively(stateDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
