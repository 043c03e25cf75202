package dev.tokenledger.task;

import static dev.tokenledger.task.TaskHarness.call;
import static dev.tokenledger.task.TaskHarness.outcome;
import static dev.tokenledger.task.TaskHarness.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.TaskResult;
import dev.tokenledger.avro.UntaskedCost;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task stage on the test driver: the join of calls and outcomes, finality, late input, waste, bad outcomes, exact sums. */
class TaskTopologyTest {

    private static final Instant T = Instant.parse("2026-11-02T10:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path stateDir;

    private TaskHarness tasks;

    @BeforeEach
    void start() {
        tasks = new TaskHarness(stateDir, T.plus(Duration.ofDays(30)), Map.of());
    }

    @AfterEach
    void stop() {
        tasks.close();
    }

    @Test
    void shouldJoinCallsThatCameBeforeTheirOutcome() {
        tasks.pipe(call("r1", "t1", T, "0.100000000001", "gpt-4o"));
        tasks.pipe(call("r2", "t1", T.plus(MINUTE), "0.300000000000", "gpt-4o-mini"));
        tasks.outcome(outcome("t1", "success", T.plus(Duration.ofMinutes(5))).setTaskType("ticket_resolved"));
        assertThat(tasks.results()).as("not final inside the window").isEmpty();

        tasks.advanceStreamTime(T.plus(Duration.ofMinutes(5)).plus(WINDOW));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getOutcome()).isEqualTo("success");
        assertThat(r.getTaskType()).isEqualTo("ticket_resolved");
        assertThat(r.getCalls()).isEqualTo(2);
        assertThat(r.getCostUsd()).isEqualTo(usd("0.400000000001"));
        assertThat(r.getWastedUsd()).isEqualTo(usd("0"));
        assertThat(r.getModelMix()).isEqualTo("gpt-4o+gpt-4o-mini");
        assertThat(r.getPrimaryModel()).isEqualTo("gpt-4o-mini");
        assertThat(r.getFeature()).isEqualTo("ticket-triage");
        assertThat(r.getFirstEventAt()).isEqualTo(T);
        assertThat(r.getLastEventAt()).isEqualTo(T.plus(Duration.ofMinutes(5)));
        assertThat(r.getDay()).isEqualTo(LocalDate.of(2026, 11, 2));
    }

    @Test
    void shouldJoinAnOutcomeThatCameBeforeItsCalls() {
        tasks.outcome(outcome("t1", "failure", T));
        tasks.pipe(call("r1", "t1", T.plus(MINUTE), "0.2", "claude-haiku-4-5"));
        tasks.pipe(call("r2", "t1", T.plus(MINUTE.multipliedBy(2)), "0.3", "claude-haiku-4-5"));
        tasks.advanceStreamTime(T.plus(MINUTE.multipliedBy(2)).plus(WINDOW));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getOutcome()).isEqualTo("failure");
        assertThat(r.getCalls()).isEqualTo(2);
        assertThat(r.getCostUsd()).isEqualTo(usd("0.5"));
        assertThat(r.getWastedUsd()).as("every call of a failed task is waste").isEqualTo(usd("0.5"));
        assertThat(r.getFirstEventAt()).isEqualTo(T.plus(MINUTE));
    }

    @Test
    void shouldStayOpenUntilTheWindowPassesItsLatestActivity() {
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"));
        tasks.outcome(outcome("t1", "success", T.plus(Duration.ofHours(1))));
        // A call 20 hours later, inside the window, extends it.
        tasks.pipe(call("r2", "t1", T.plus(Duration.ofHours(20)), "0.1", "gpt-4o"));
        tasks.advanceStreamTime(T.plus(Duration.ofHours(1)).plus(WINDOW).plus(MINUTE));
        assertThat(tasks.results()).isEmpty();

        tasks.advanceStreamTime(T.plus(Duration.ofHours(20)).plus(WINDOW));
        assertThat(tasks.results().get("t1").getCalls()).isEqualTo(2);
    }

    @Test
    void shouldCountALateCallInsideTheWindowAsOneOfTheTask() {
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"));
        tasks.outcome(outcome("t1", "success", T.plus(MINUTE)));
        tasks.advanceStreamTime(T.plus(Duration.ofHours(12)));
        // Arrives after the outcome and half a day of stream time, but is older than both: still in the window.
        tasks.pipe(call("r0", "t1", T.minus(Duration.ofHours(1)), "0.2", "gpt-4o"));
        tasks.advanceStreamTime(T.plus(MINUTE).plus(WINDOW));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getCalls()).isEqualTo(2);
        assertThat(r.getCostUsd()).isEqualTo(usd("0.3"));
        assertThat(r.getFirstEventAt()).isEqualTo(T.minus(Duration.ofHours(1)));
        assertThat(r.getLateCalls()).isZero();
    }

    @Test
    void shouldCountACallThatArrivedAfterFinalityButIsInsideTheWindowAsOneOfTheTaskAndReemitIt() {
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"));
        tasks.outcome(outcome("t1", "success", T.plus(MINUTE)));
        tasks.advanceStreamTime(T.plus(MINUTE).plus(WINDOW));
        assertThat(tasks.newResults()).hasSize(1);

        // Both arrive after the record was written, but their event times are inside the window: the task's, as in
        // any other order. The earlier outcome still wins.
        tasks.pipe(call("r9", "t1", T.plus(Duration.ofMinutes(2)), "0.25", "gpt-4o"));
        tasks.outcome(outcome("t1", "failure", T.plus(Duration.ofMinutes(3))));
        assertThat(tasks.newResults()).extracting(kv -> kv.key).containsExactly("t1", "t1");

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getOutcome()).isEqualTo("success");
        assertThat(r.getCalls()).isEqualTo(2);
        assertThat(r.getCostUsd()).isEqualTo(usd("0.35"));
        assertThat(r.getDuplicateOutcomes()).isEqualTo(1);
        assertThat(r.getLateCalls()).isZero();
        assertThat(r.getLateCostUsd()).isEqualTo(usd("0"));
        assertThat(r.getLateOutcomes()).isZero();
        assertThat(r.getFinalizedAt()).as("the end of the window in event time").isEqualTo(T.plus(Duration.ofMinutes(3)).plus(WINDOW));
    }

    @Test
    void shouldCountInputBeyondTheWindowInEventTimeAsLateWhateverItsArrival() {
        // The late call and outcome arrive first; the task's activity a day and more before them comes afterwards.
        tasks.pipe(call("r9", "t1", T.plus(Duration.ofHours(30)), "0.25", "gpt-4o"));
        tasks.outcome(outcome("t1", "failure", T.plus(Duration.ofHours(30))));
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o-mini"));
        tasks.outcome(outcome("t1", "success", T.plus(MINUTE)));
        tasks.advanceStreamTime(T.plus(Duration.ofHours(30)).plus(WINDOW));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getOutcome()).isEqualTo("success");
        assertThat(r.getCalls()).isEqualTo(1);
        assertThat(r.getCostUsd()).isEqualTo(usd("0.1"));
        assertThat(r.getModelMix()).isEqualTo("gpt-4o-mini");
        assertThat(r.getDuplicateOutcomes()).isZero();
        assertThat(r.getLateCalls()).isEqualTo(1);
        assertThat(r.getLateCostUsd()).isEqualTo(usd("0.25"));
        assertThat(r.getLateOutcomes()).isEqualTo(1);
        assertThat(r.getFinalizedAt()).isEqualTo(T.plus(MINUTE).plus(WINDOW));
    }

    @Test
    void shouldJoinTheLateInputBackIntoTheTaskWhenACallBridgingTheGapArrives() {
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"));
        tasks.pipe(call("r3", "t1", T.plus(Duration.ofHours(40)), "0.3", "gpt-4o"));
        tasks.advanceStreamTime(T.plus(Duration.ofHours(40)).plus(WINDOW));
        assertThat(tasks.results().get("t1").getLateCalls()).isEqualTo(1);

        // 20 hours after the first and before the last: within the window of both, so the three are one task.
        tasks.pipe(call("r2", "t1", T.plus(Duration.ofHours(20)), "0.2", "gpt-4o"));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getCalls()).isEqualTo(3);
        assertThat(r.getCostUsd()).isEqualTo(usd("0.6"));
        assertThat(r.getLateCalls()).isZero();
        assertThat(r.getLateCostUsd()).isEqualTo(usd("0"));
        assertThat(r.getLastEventAt()).isEqualTo(T.plus(Duration.ofHours(40)));
    }

    @Test
    void shouldCountFailedCallsOfASuccessfulTaskAsWaste() {
        tasks.pipe(call("r1", "t1", T, "0.4", "gpt-4o"), e -> e.setStatus("error"));
        tasks.pipe(call("r2", "t1", T.plus(MINUTE), "0.6", "gpt-4o"), e -> {
            e.setAttempt(2);
            e.setRetryOf("r1");
        });
        tasks.outcome(outcome("t1", "success", T.plus(MINUTE)));
        tasks.advanceStreamTime(T.plus(MINUTE).plus(WINDOW));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getCalls()).isEqualTo(2);
        assertThat(r.getFailedCalls()).isEqualTo(1);
        assertThat(r.getRetriedCalls()).isEqualTo(1);
        assertThat(r.getCostUsd()).isEqualTo(usd("1.0"));
        assertThat(r.getWastedUsd()).isEqualTo(usd("0.4"));
    }

    @Test
    void shouldCallATaskWithoutOutcomeUnknownAndAnOutcomeWithoutCallsAnOrphan() {
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"));
        tasks.outcome(outcome("t2", "abandoned", T).setFeature("refunds").setValueUsd(usd("12.5")));
        tasks.advanceStreamTime(T.plus(WINDOW));

        Map<String, TaskResult> results = tasks.results();
        assertThat(results.get("t1").getOutcome()).isEqualTo("unknown");
        assertThat(results.get("t1").getWastedUsd()).isEqualTo(usd("0"));
        TaskResult orphan = results.get("t2");
        assertThat(orphan.getOutcome()).isEqualTo("orphan_outcome");
        assertThat(orphan.getCalls()).isZero();
        assertThat(orphan.getFeature()).isEqualTo("refunds");
        assertThat(orphan.getModelMix()).isEqualTo("-");
        assertThat(orphan.getValueUsd()).isEqualTo(usd("12.5"));
        assertThat(orphan.getFirstEventAt()).isEqualTo(T);
    }

    @Test
    void shouldKeepTheEarliestOutcomeAndCountTheOthersInAnyArrivalOrder() {
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"));
        tasks.outcome(outcome("t1", "success", T.plus(MINUTE)));
        tasks.outcome(outcome("t1", "failure", T.plus(MINUTE.multipliedBy(2))));
        tasks.pipe(call("r2", "t2", T, "0.1", "gpt-4o"));
        tasks.outcome(outcome("t2", "failure", T.plus(MINUTE.multipliedBy(2))));
        tasks.outcome(outcome("t2", "success", T.plus(MINUTE)));
        tasks.advanceStreamTime(T.plus(MINUTE.multipliedBy(2)).plus(WINDOW));

        Map<String, TaskResult> results = tasks.results();
        for (String task : List.of("t1", "t2")) {
            assertThat(results.get(task).getOutcome()).as(task).isEqualTo("success");
            assertThat(results.get(task).getDuplicateOutcomes()).as(task).isEqualTo(1);
            assertThat(results.get(task).getOutcomeAt()).as(task).isEqualTo(T.plus(MINUTE));
        }
    }

    @Test
    void shouldReadJsonOutcomesExactly() {
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"));
        tasks.outcomeJson("anything", "{\"task_id\":\"t1\",\"outcome\":\"success\",\"timestamp\":\"2026-11-02T12:00:00+02:00\","
                + "\"value_usd\":0.300000000001,\"task_type\":\"ticket_resolved\",\"attributes\":{\"queue\":\"billing\"},\"extra\":[1]}");
        tasks.advanceStreamTime(T.plus(WINDOW));

        TaskResult r = tasks.results().get("t1");
        assertThat(tasks.deadLetters()).isEmpty();
        assertThat(r.getOutcome()).isEqualTo("success");
        assertThat(r.getOutcomeAt()).isEqualTo(T);
        assertThat(r.getValueUsd()).isEqualTo(usd("0.300000000001"));
        assertThat(tasks.deadLetters()).isEmpty();
    }

    @Test
    void shouldDeadLetterInvalidOutcomesWithAReason() {
        tasks.outcomeJson("k1", "{\"task_id\":\"t1\",\"outcome\":\"done\",\"timestamp\":\"2026-11-02T10:00:00Z\"}");
        tasks.outcomeJson("k2", "{\"outcome\":\"success\",\"timestamp\":\"2026-11-02T10:00:00Z\"}");
        tasks.outcomeJson("k3", "{\"task_id\":\"t3\",\"outcome\":\"success\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"value_usd\":\"-1\"}");
        tasks.outcomeJson("k4", "{\"task_id\":\"t4\",\"outcome\":\"success\",\"timestamp\":\"2030-01-01T00:00:00Z\"}");
        tasks.outcomeJson("k5", "{\"task_id\":\"t5\",\"outcome\":\"success\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"value_usd\":\"0.0000000000001\"}");
        tasks.outcomeJson("k6", "not json");
        tasks.outcomeJson("k7", "{\"task_id\":\"t7\",\"outcome\":\"success\",\"timestamp\":1}");
        tasks.outcomeAvroBytes(new byte[] {0, 0, 0, 0, 42, 1, 2});

        List<DeadLetter> dead = tasks.deadLetters();
        assertThat(dead).extracting(DeadLetter::getReason).containsExactly("invalid_value", "missing_field", "invalid_value",
                "future_timestamp", "invalid_value", "undecodable", "invalid_type", "undecodable");
        assertThat(dead).extracting(DeadLetter::getField).containsExactly("outcome", "task_id", "value_usd", "timestamp",
                "value_usd", null, "timestamp", null);
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.getStage()).isEqualTo("task");
            assertThat(d.getOriginalValue()).isNotNull();
        });
        assertThat(dead.get(0).getSourceTopic()).isEqualTo("llm.task-outcomes.json.v1");
        assertThat(dead.get(7).getSourceTopic()).isEqualTo("llm.task-outcomes.v1");
        assertThat(tasks.metrics.count("tokenledger.dlq.records", "reason", "invalid_value")).isEqualTo(3);
    }

    @Test
    void shouldSplitEveryCallIntoTaskCostOrUntaskedCostToTheLastDigit() {
        Random random = new Random(13);
        BigDecimal total = Money.ZERO.toBigDecimal();
        int n = 600;
        for (int i = 0; i < n; i++) {
            Instant at = T.plus(Duration.ofMinutes(random.nextInt(3 * 24 * 60)));
            String cost = BigDecimal.valueOf(random.nextLong(1, 5_000_000_000_000L), 12).toPlainString();
            total = total.add(usd(cost));
            int kind = random.nextInt(4);
            String task = kind == 0 ? null : kind == 1 ? " " : "task-" + random.nextInt(40);
            String model = random.nextBoolean() ? "gpt-4o" : "gpt-4o-mini";
            tasks.pipe(call("r" + i, task, at, cost, model), e -> e.setStatus(random.nextInt(5) == 0 ? "error" : "success"));
            if (random.nextInt(20) == 0) {
                tasks.outcome(outcome("task-" + random.nextInt(50), random.nextBoolean() ? "success" : "failure", at));
            }
            if (i == n / 2) {
                // Stream time jumps ahead halfway: every task is final early, and its calls read later still count in it.
                tasks.advanceStreamTime(T.plus(Duration.ofDays(3)).plus(WINDOW));
            }
        }
        for (int t = 0; t < 5; t++) {
            // Three days after the last of the others: beyond the window of every task, late calls in any order.
            String cost = "0.00000000000" + (t + 1);
            total = total.add(usd(cost));
            tasks.pipe(call("late-" + t, "task-" + t, T.plus(Duration.ofDays(6)), cost, "gpt-4o"));
        }
        tasks.advanceStreamTime(T.plus(Duration.ofDays(8)).plus(WINDOW));
        tasks.flush();

        Map<String, TaskResult> results = tasks.results();
        BigDecimal taskCost = results.values().stream().map(r -> r.getCostUsd().add(r.getLateCostUsd()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, UntaskedCost> untasked = tasks.untasked();
        BigDecimal untaskedCost = untasked.values().stream().map(UntaskedCost::getCostUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        long calls = results.values().stream().mapToLong(r -> r.getCalls() + r.getLateCalls()).sum()
                + untasked.values().stream().mapToLong(UntaskedCost::getCalls).sum();

        assertThat(results.values()).anySatisfy(r -> assertThat(r.getLateCalls()).isPositive());
        assertThat(untasked.keySet()).allMatch(k -> k.matches("ticket-triage\\|2026-11-0[2-5]\\|0"));
        assertThat(calls).isEqualTo(n + 5);
        assertThat(taskCost.add(untaskedCost)).isEqualByComparingTo(total);
        assertThat(taskCost.add(untaskedCost).toPlainString()).isEqualTo(total.toPlainString());
    }

    @Test
    void shouldStartANewTaskForACallAfterTheFinalRetention() {
        tasks.close();
        tasks = new TaskHarness(stateDir, T.plus(Duration.ofDays(30)), Map.of(TokenLedgerConfig.TASK_FINAL_RETENTION, "P1D"));
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"));
        tasks.advanceStreamTime(T.plus(WINDOW));
        tasks.advanceStreamTime(T.plus(WINDOW).plus(Duration.ofDays(1)));
        tasks.pipe(call("r2", "t1", T.plus(Duration.ofDays(2)), "0.2", "gpt-4o"));
        assertThat(tasks.newResults()).filteredOn(kv -> kv.key.equals("t1")).as("no late re-emission").hasSize(1);
        tasks.advanceStreamTime(T.plus(Duration.ofDays(2)).plus(WINDOW));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getCostUsd()).isEqualTo(usd("0.2"));
        assertThat(r.getLateCalls()).isZero();
    }

    @Test
    void shouldKeepTheCostOfCallsBeyondTheWindowOfAnOrphanAsItsLateCost() {
        // The outcome came, its calls did not within the window: an orphan. Calls more than a window after it are late
        // calls of the orphan: the verdict stands and their cost is its late cost, so no call's cost is lost.
        tasks.outcome(outcome("t1", "success", T).setFeature("ticket-triage"));
        tasks.advanceStreamTime(T.plus(WINDOW));
        assertThat(tasks.newResults()).extracting(kv -> kv.value.getOutcome()).containsExactly("orphan_outcome");

        tasks.pipe(call("r1", "t1", T.plus(WINDOW).plus(MINUTE), "0.300000000001", "gpt-4o"));
        tasks.outcome(outcome("t1", "success", T.plus(WINDOW).plus(MINUTE)));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getOutcome()).isEqualTo("orphan_outcome");
        assertThat(r.getCalls()).isZero();
        assertThat(r.getCostUsd()).isEqualTo(usd("0"));
        assertThat(r.getLateCalls()).isEqualTo(1);
        assertThat(r.getLateCostUsd()).isEqualTo(usd("0.300000000001"));
        assertThat(r.getLateOutcomes()).isEqualTo(1);
        assertThat(r.getModelMix()).as("a late call changes nothing but the late counters").isEqualTo("-");
    }

    @Test
    void shouldKeepAFinalTaskForTheRetentionAfterItsLatestInput() {
        tasks.close();
        tasks = new TaskHarness(stateDir, T.plus(Duration.ofDays(30)), Map.of(TokenLedgerConfig.TASK_FINAL_RETENTION, "P1D"));
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"));
        tasks.advanceStreamTime(T.plus(WINDOW)); // final
        tasks.advanceStreamTime(T.plus(WINDOW).plus(Duration.ofHours(20)));
        tasks.pipe(call("r2", "t1", T.plus(MINUTE), "0.2", "gpt-4o")); // arrives 20 h after finality: the retention restarts
        tasks.advanceStreamTime(T.plus(WINDOW).plus(Duration.ofHours(40)));
        tasks.pipe(call("r3", "t1", T.plus(MINUTE.multipliedBy(2)), "0.3", "gpt-4o"));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getCalls()).as("still the same task, 40 h of stream time after finality").isEqualTo(3);
        assertThat(r.getCostUsd()).isEqualTo(usd("0.6"));
    }

    @Test
    void shouldCountEveryAttemptOfARetriedCallAndOnlyTheFailedOnesAsWasteOfASuccess() {
        tasks.pipe(call("r1", "t1", T, "0.1", "gpt-4o"), e -> e.setStatus("timeout"));
        tasks.pipe(call("r2", "t1", T.plus(MINUTE), "0.2", "gpt-4o"), e -> {
            e.setAttempt(2);
            e.setRetryOf("r1");
            e.setStatus("error");
        });
        tasks.pipe(call("r3", "t1", T.plus(MINUTE.multipliedBy(2)), "0.3", "claude-haiku-4-5"), e -> {
            e.setAttempt(3);
            e.setRetryOf("r1");
        });
        // The same retry delivered twice by the gateway is one call (dedupe runs before this stage); a second
        // outcome of the same verdict is absorbed.
        tasks.outcome(outcome("t1", "success", T.plus(MINUTE.multipliedBy(3))));
        tasks.outcome(outcome("t1", "success", T.plus(MINUTE.multipliedBy(3))));
        tasks.advanceStreamTime(T.plus(MINUTE.multipliedBy(3)).plus(WINDOW));

        TaskResult r = tasks.results().get("t1");
        assertThat(r.getCalls()).isEqualTo(3);
        assertThat(r.getFailedCalls()).isEqualTo(2);
        assertThat(r.getRetriedCalls()).isEqualTo(2);
        assertThat(r.getCostUsd()).isEqualTo(usd("0.6"));
        assertThat(r.getWastedUsd()).isEqualTo(usd("0.3"));
        assertThat(r.getModelMix()).isEqualTo("claude-haiku-4-5+gpt-4o");
        assertThat(r.getPrimaryModel()).as("0.3 on each: the tie goes to the first by name").isEqualTo("claude-haiku-4-5");
        assertThat(r.getDuplicateOutcomes()).isEqualTo(1);
    }
}
