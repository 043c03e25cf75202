package dev.tokenledger.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.task.TaskOutcomeJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskOutcomeSimulatorTest {

    private static final GeneratorOptions OPTIONS = GeneratorOptions.defaults(7L, Instant.parse("2026-11-01T00:00:00Z"));
    private static final int EVENTS = 40_000;

    /** The events of one generator run and the outcomes the product reported for them. */
    private record Run(List<UsageEvent> events, List<TaskOutcome> outcomes) {
    }

    private static Run run() {
        TrafficGenerator generator = new TrafficGenerator(OPTIONS);
        TaskOutcomeSimulator product = new TaskOutcomeSimulator(OPTIONS);
        List<UsageEvent> events = new ArrayList<>();
        List<TaskOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            UsageEvent event = generator.next();
            events.add(event);
            outcomes.addAll(product.observe(event));
        }
        outcomes.addAll(product.finish());
        return new Run(events, outcomes);
    }

    @Test
    void shouldBeDeterministicAndWriteOutcomesTheJsonReaderAccepts() {
        List<TaskOutcome> first = run().outcomes();
        List<TaskOutcome> second = run().outcomes();
        assertThat(first).isNotEmpty().isEqualTo(second);
        for (TaskOutcome o : first.subList(0, 50)) {
            TaskOutcomeJson.Parsed parsed = TaskOutcomeJson.parse(TaskOutcomeJson.toBytes(o));
            assertThat(parsed.violations()).isEmpty();
            assertThat(parsed.outcome().getTaskId()).isEqualTo(o.getTaskId());
            assertThat(parsed.outcome().getOutcome()).isEqualTo(o.getOutcome());
            assertThat(parsed.outcome().getTimestamp()).isEqualTo(o.getTimestamp());
        }
    }

    @Test
    void shouldDecideTasksAfterTheirLastCallWithDuplicatesOrphansAbandonedAndTasksWithoutOutcome() {
        Run run = run();
        Map<String, Instant> lastCall = new HashMap<>();
        Map<String, String> feature = new HashMap<>();
        for (UsageEvent e : run.events()) {
            if (e.getTaskId() != null) {
                lastCall.merge(e.getTaskId(), e.getTimestamp(), (a, b) -> a.isAfter(b) ? a : b);
                feature.putIfAbsent(e.getTaskId(), e.getFeature());
            }
        }
        Map<String, Integer> perTask = new HashMap<>();
        Set<String> verdicts = new HashSet<>();
        long orphans = 0;
        long beforeLastCall = 0;
        for (TaskOutcome o : run.outcomes()) {
            verdicts.add(o.getOutcome());
            Instant last = lastCall.get(o.getTaskId());
            if (last == null) {
                orphans++;
                assertThat(o.getTaskId()).startsWith("orph_");
                continue;
            }
            perTask.merge(o.getTaskId(), 1, Integer::sum);
            // After the task's calls, but for a task whose calls resumed after a long pause (then it came first).
            beforeLastCall += o.getTimestamp().isAfter(last) ? 0 : 1;
            assertThat(o.getFeature()).isEqualTo(feature.get(o.getTaskId()));
            assertThat(feature.get(o.getTaskId())).isNotEqualTo("eval-harness");
        }
        long duplicated = perTask.values().stream().filter(n -> n == 2).count();
        long unknown = lastCall.keySet().stream().filter(t -> !perTask.containsKey(t)).count();
        long evalTasks = feature.values().stream().filter("eval-harness"::equals).count();
        assertThat(verdicts).containsExactlyInAnyOrder("success", "failure", "abandoned");
        assertThat(perTask.values()).allMatch(n -> n <= 2);
        assertThat(beforeLastCall).isLessThan(perTask.size() / 100);
        assertThat(duplicated).isPositive().isLessThan(perTask.size() / 20);
        assertThat(orphans).isPositive().isLessThan(perTask.size() / 40);
        assertThat(unknown).as("eval-harness reports nothing, others now and then").isGreaterThan(evalTasks);
    }

    @Test
    void shouldMakeTheCheapModelOfSupportCopilotFailMoreOften() {
        Run run = run();
        Map<String, String> model = new HashMap<>();
        for (UsageEvent e : run.events()) {
            if ("support-copilot".equals(e.getFeature())) {
                model.putIfAbsent(e.getTaskId(), e.getRequestModel());
            }
        }
        Map<String, int[]> successOfDecided = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (TaskOutcome o : run.outcomes()) {
            String m = model.get(o.getTaskId());
            if (m == null || !seen.add(o.getTaskId()) || "abandoned".equals(o.getOutcome())) {
                continue;
            }
            int[] counts = successOfDecided.computeIfAbsent(m, k -> new int[2]);
            counts[0] += "success".equals(o.getOutcome()) ? 1 : 0;
            counts[1]++;
        }
        double haiku = rate(successOfDecided.get("claude-haiku-4-5"));
        double sonnet = rate(successOfDecided.get("claude-sonnet-4-5"));
        assertThat(successOfDecided.get("claude-haiku-4-5")[1]).isGreaterThan(50);
        assertThat(haiku).isLessThan(0.2);
        assertThat(sonnet).isGreaterThan(0.8);
    }

    private static double rate(int[] counts) {
        return (double) counts[0] / counts[1];
    }
}
