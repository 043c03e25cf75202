package dev.tokenledger.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.junit.jupiter.api.Test;

class ReferenceDataOnlyDeserializationHandlerTest {

    private final ReferenceDataOnlyDeserializationHandler handler = new ReferenceDataOnlyDeserializationHandler();

    ReferenceDataOnlyDeserializationHandlerTest() {
        handler.configure(Map.of(ReferenceDataOnlyDeserializationHandler.REFERENCE_TOPICS, "llm.pricebook.v1, llm.ownership.v1"));
    }

    @Test
    void shouldSkipAndCountAnUndecodableReferenceRecord() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try {
            var response = handler.handleError(null, new ConsumerRecord<>("llm.pricebook.v1", 0, 7L, new byte[0], new byte[] {9}),
                    new SerializationException("bad"));
            assertThat(response.result()).isEqualTo(Result.RESUME);
            assertThat(registry.find("tokenledger.reference.rejected").tags("topic", "llm.pricebook.v1", "reason", "undecodable")
                    .counter().count()).isEqualTo(1.0);
        } finally {
            Metrics.removeRegistry(registry);
        }
    }

    @Test
    void shouldFailRatherThanDropARecordThePipelineWroteItself() {
        var response = handler.handleError(null, new ConsumerRecord<>("tokenledger-spend-by-dimensions-repartition", 0, 7L,
                new byte[0], new byte[] {0, 0, 0, 0, 1}), new SerializationException("registry unreachable"));
        assertThat(response.result()).isEqualTo(Result.FAIL);
    }
}
