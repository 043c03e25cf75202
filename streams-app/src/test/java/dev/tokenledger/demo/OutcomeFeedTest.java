package dev.tokenledger.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutcomeFeedTest {

    /** Checked against the producer's own keyed partitioner, which the Streams repartition uses by default. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 6, 12})
    void oneEndOfInputOutcomeLandsOnEachPartitionOfTheTaskRepartition(int partitions) {
        List<String> ids = OutcomeFeed.endOfInputIds(partitions);

        assertThat(ids).hasSize(partitions).allSatisfy(id -> assertThat(id).startsWith(OutcomeFeed.END_OF_INPUT));
        Set<Integer> reached = new TreeSet<>();
        for (String id : ids) {
            reached.add(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions));
        }
        assertThat(reached).hasSize(partitions);
    }

    @Test
    void theIdsAreTheSameOnEveryRun() {
        assertThat(OutcomeFeed.endOfInputIds(4)).isEqualTo(OutcomeFeed.endOfInputIds(4));
    }
}
