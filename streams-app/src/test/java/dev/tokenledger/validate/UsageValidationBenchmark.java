package dev.tokenledger.validate;

import dev.tokenledger.avro.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per event of the validate stage (the pipeline needs 50k events/s per instance, i.e. well
 * under 20 µs each). Run after {@code mvn test-compile}:
 * {@code java -cp streams-app/target/test-classes:streams-app/target/classes:<test classpath> org.openjdk.jmh.Main UsageValidationBenchmark}.
 * Measured 2026-11 on the 2-core dev machine (noisy, shared): validate ~30 ns, parseJson ~2.7 µs,
 * toJson ~2.5 µs per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgs = "-Xmx256m")
public class UsageValidationBenchmark {

    private final byte[] json = ("{\"request_id\": \"3f1b7c9e-5d2a-4e8b-9c61-0a7d4f2e8b13\", \"attempt\": 1,"
            + " \"timestamp\": \"2026-11-02T10:15:30.123Z\", \"gateway\": \"llm-gateway-prod-eu-west-1\","
            + " \"provider\": \"anthropic\", \"request_model\": \"claude-sonnet-4-5\","
            + " \"response_model\": \"claude-sonnet-4-5-20250929\", \"input_tokens\": 48210,"
            + " \"cache_read_input_tokens\": 36000, \"cache_creation_input_tokens\": 9800,"
            + " \"cache_creation_1h_input_tokens\": 6000, \"output_tokens\": 1184, \"status\": \"success\","
            + " \"latency_ms\": 14230, \"provider_reported_cost_usd\": \"0.051234\", \"team\": \"support-platform\","
            + " \"feature\": \"support-copilot\", \"environment\": \"production\", \"customer_id\": \"cus_acme_corp\","
            + " \"attributes\": {\"route\": \"/v1/messages\"}}").getBytes(StandardCharsets.UTF_8);
    private final UsageEvent event = UsageEventJson.parse(json).event();
    private final UsageValidator validator = UsageValidator.withDefaults();
    private final Instant now = Instant.parse("2026-11-02T10:16:00Z");

    @Benchmark
    public List<Violation> validate() {
        return validator.validate(event, now);
    }

    @Benchmark
    public ParseResult parseJson() {
        return UsageEventJson.parse(json);
    }

    @Benchmark
    public String toJson() {
        return UsageEventJson.toJson(event);
    }
}
