package dev.tokenledger.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.avro.TaskResult;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.generator.GeneratedRecord;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TaskOutcomeSimulator;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * The task stage's results never depend on arrival order: a month of generated calls and the outcomes the
 * product would publish for them (as {@code generate --outcomes} writes them), fed once in event-time order and
 * once shuffled (as {@code generate --shuffle} writes a backfill), end with the same latest record per task,
 * and task cost (late included) is the priced cost of the calls with a task_id, exactly.
 */
class TaskArrivalOrderTest {

    private static final YearMonth MONTH = YearMonth.of(2026, 10);
    private static final Instant START = MONTH.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    private static final Instant END = MONTH.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    /** The wall clock: the month lies inside the acceptance horizon of outcomes. */
    private static final Instant NOW = END.plus(Duration.ofDays(3));
    private static final int EVENTS = 3_000;
    private static final BigDecimal INPUT_PRICE = new BigDecimal("0.0000025");
    private static final BigDecimal OUTPUT_PRICE = new BigDecimal("0.00001");
    /**
     * Longer than the month. At 3,000 events a month a contract-review session's calls are days apart, and read in
     * order a task without input for the default 7 days of stream time is dropped (its task_id then starts a new
     * record): that is the one rule counted in stream time, and a shuffled backfill, whose stream time stays at the
     * month's end, never meets it. Here the order alone differs between the two runs.
     */
    private static final String RETENTION = "P35D";

    /** One input of the task stage: a priced call or an outcome, at its event time. */
    record Input(Instant at, PricedUsage call, TaskOutcome outcome) {
    }

    record Month(List<Input> inputs, BigDecimal taskedCost, long taskedCalls) {
    }

    // A fixed seed: the same five months every run (a random one made CI depend on which months it drew).
    @Property(tries = 5, seed = "20261201")
    void latestTaskRecordsDoNotDependOnArrivalOrder(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) throws Exception {
        Month month = month(seed);
        List<Input> inOrder = new ArrayList<>(month.inputs());
        inOrder.sort(Comparator.comparing(Input::at));
        List<Input> shuffled = new ArrayList<>(month.inputs());
        Collections.shuffle(shuffled, new Random(seed));

        Map<String, TaskResult> ordered = run(inOrder);
        Map<String, TaskResult> backfill = run(shuffled);

        assertThat(ordered).isNotEmpty();
        assertThat(backfill.keySet()).isEqualTo(ordered.keySet());
        for (String task : ordered.keySet()) {
            assertThat(backfill.get(task)).as(task).isEqualTo(ordered.get(task));
        }
        for (Map<String, TaskResult> results : List.of(ordered, backfill)) {
            BigDecimal cost = results.values().stream().map(r -> r.getCostUsd().add(r.getLateCostUsd()))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            long calls = results.values().stream().mapToLong(r -> r.getCalls() + r.getLateCalls()).sum();
            assertThat(cost.toPlainString()).isEqualTo(month.taskedCost().toPlainString());
            assertThat(calls).isEqualTo(month.taskedCalls());
        }
        // Orphan outcomes are about 1% of a generated month's outcomes: a small month may have none.
        assertThat(ordered.values()).extracting(TaskResult::getOutcome)
                .contains(TaskLedger.SUCCESS, TaskLedger.FAILURE, TaskLedger.UNKNOWN);
        assertThat(ordered.values()).as("calls late in event time, a pause of a session longer than the window")
                .anySatisfy(r -> assertThat(r.getLateCalls()).isPositive());
    }

    /** The month GenerateCommand writes for this seed (no duplicates or bad lines: those are other stages' concern). */
    static Month month(long seed) {
        GeneratorOptions options = GeneratorOptions.defaults(seed, START)
                .withEventsPerSecondOfEventTime((double) EVENTS / (MONTH.lengthOfMonth() * 86_400L))
                .withDuplicateRate(0).withMalformedRate(0);
        TrafficGenerator generator = new TrafficGenerator(options);
        TaskOutcomeSimulator product = new TaskOutcomeSimulator(options);
        List<Input> inputs = new ArrayList<>();
        BigDecimal tasked = Money.ZERO.toBigDecimal();
        long taskedCalls = 0;
        for (int i = 0; i < EVENTS; i++) {
            if (!(generator.nextRecord() instanceof GeneratedRecord.Event e)) {
                continue;
            }
            UsageEvent event = e.event();
            product.observe(event).forEach(o -> inputs.add(new Input(o.getTimestamp(), null, o)));
            PricedUsage call = priced(event);
            inputs.add(new Input(event.getTimestamp(), call, null));
            if (TaskCalls.taskId(call) != null) {
                tasked = tasked.add(call.getCost().getTotal());
                taskedCalls++;
            }
        }
        product.finish().forEach(o -> inputs.add(new Input(o.getTimestamp(), null, o)));
        return new Month(inputs, tasked, taskedCalls);
    }

    /** The event priced at one exact rate for every model, with its own feature as the attributed one. */
    static PricedUsage priced(UsageEvent e) {
        BigDecimal zero = Money.ZERO.toBigDecimal();
        BigDecimal input = Money.of(INPUT_PRICE.multiply(BigDecimal.valueOf(e.getInputTokens()))).toBigDecimal();
        BigDecimal output = Money.of(OUTPUT_PRICE.multiply(BigDecimal.valueOf(e.getOutputTokens()))).toBigDecimal();
        BigDecimal total = input.add(output);
        String feature = e.getFeature() == null ? "unattributed" : e.getFeature();
        return PricedUsage.newBuilder()
                .setEvent(e)
                .setBilledModel(e.getRequestModel())
                .setCost(new CostBreakdown(input, zero, zero, output, zero, zero, total))
                .setPrice(null)
                .setFlags(List.of())
                .setAttribution(new Attribution(e.getTeam() == null ? "unattributed" : e.getTeam(), feature, null, null, null, "tagged"))
                .setPricedAt(e.getTimestamp())
                .build();
    }

    /** The latest record per task after every input and, last, an outcome far ahead (as the demo's end of input). */
    static Map<String, TaskResult> run(List<Input> inputs) throws Exception {
        Path stateDir = Files.createTempDirectory("task-arrival-order");
        try (TaskHarness tasks = new TaskHarness(stateDir, NOW, Map.of(TokenLedgerConfig.TASK_FINAL_RETENTION, RETENTION))) {
            for (Input in : inputs) {
                if (in.call() != null) {
                    tasks.pipe(in.call());
                } else {
                    tasks.outcome(TaskOutcome.newBuilder(in.outcome()));
                }
            }
            tasks.advanceStreamTime(END.plus(Duration.ofDays(2)));
            return new TreeMap<>(tasks.results());
        }
    }
}
