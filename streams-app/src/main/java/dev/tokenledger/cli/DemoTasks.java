package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.OutcomeFeed;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import io.micrometer.core.instrument.Counter;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The demo's task-stage steps (docs/tasks.md#outcomes-from-the-generator-and-the-demo): the completion window it
 * runs with, outcomes released as the pipeline accounts for the events before them, a file of events played no
 * further ahead of the pipeline than the task stage can follow, and, at the end, the input closed once the stage
 * has read every call so that every task is final.
 */
final class DemoTasks {

    /** How far a played file of events may run ahead of the pipeline when outcomes are played with it. */
    static final int EVENTS_AHEAD = 256;
    /** With generated traffic; see {@link #overrides}. */
    static final String GENERATED_TRAFFIC_WINDOW = "PT6H";

    private final OutputTally tally;
    private final PipelineMetrics metrics;
    private final OutcomeFeed outcomes;
    private final BooleanSupplier stopping;
    private final PrintWriter out;
    private long accountedSeen;

    DemoTasks(OutputTally tally, PipelineMetrics metrics, OutcomeFeed outcomes, BooleanSupplier stopping, PrintWriter out) {
        this.tally = tally;
        this.metrics = metrics;
        this.outcomes = outcomes;
        this.stopping = stopping;
        this.out = out;
    }

    /**
     * The task window the demo runs with: {@code taskWindow} (ISO-8601), else {@value #GENERATED_TRAFFIC_WINDOW} for
     * generated traffic, else the configured default.
     *
     * @throws java.time.format.DateTimeParseException when {@code taskWindow} is not a duration
     */
    static Map<String, String> overrides(String taskWindow, boolean generated) {
        if (taskWindow != null) {
            return Map.of(TokenLedgerConfig.TASK_COMPLETION_WINDOW, Duration.parse(taskWindow).toString());
        }
        // Generated traffic has 2 events per second of event time and is sent at --rate 2000 a second: a wall-clock
        // second is some 17 minutes of event time, and the product simulation decides a task about 13 minutes of
        // event time after its last call. Six hours keeps outcomes and calls that the pipeline reads a few seconds
        // behind inside their window; with --until-idle the end-of-input outcome makes every task final at the end.
        return generated ? Map.of(TokenLedgerConfig.TASK_COMPLETION_WINDOW, GENERATED_TRAFFIC_WINDOW) : Map.of();
    }

    /** Events read and priced, dead-lettered or absorbed as duplicates, as far as the tally has seen. */
    long accounted() {
        return tally.pricedOrDeadLettered() + metrics.duplicatesAbsorbed();
    }

    /** Sends the outcomes whose events are accounted for; returns how many events are. */
    long release() {
        long accounted = accounted();
        outcomes.release(accounted);
        return accounted;
    }

    /**
     * With a file of outcomes, the file of events is played as a live feed: at most {@value #EVENTS_AHEAD} events
     * ahead of the pipeline. The task stage finalizes on stream time, the newest event time it has read, and a file
     * sent at once would carry its stream time days past the outcomes released behind it (a month of 20,000 events
     * is two minutes of event time per event) and past the calls of the partition that lags.
     */
    void keepUp(UsageProducer producer, DemoCommand.Progress progress) {
        if (producer.sent() - accountedSeen < EVENTS_AHEAD) {
            return;
        }
        producer.flush();
        outcomes.flush();
        while (!stopping.getAsBoolean()) {
            accountedSeen = release();
            if (producer.sent() - accountedSeen < EVENTS_AHEAD / 2) {
                return;
            }
            tally.poll(Duration.ofMillis(20));
            progress.maybePrint();
        }
    }

    /**
     * Every event is accounted for: sends the outcomes left, waits until the task ledger has read every priced call
     * with a task_id (the end-of-input outcome moves its stream time past every window, and a call read after it
     * would be late), then closes the input.
     */
    void closeInput(Duration window, int taskPartitions) throws InterruptedException {
        outcomes.sendRest();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!stopping.getAsBoolean()) {
            tally.poll(Duration.ofMillis(100));
            double read = metrics.registry().find("tokenledger.task.inputs").tag("input", "call").counters().stream()
                    .mapToDouble(Counter::count).sum();
            if (read >= tally.taskCallsPriced()) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                DemoCommand.progress(out, "the task stage has read " + (long) read + " of " + tally.taskCallsPriced()
                        + " calls with a task_id after 60 s; closing the input anyway");
                break;
            }
            Thread.sleep(100);
        }
        Instant end = outcomes.closeInput(window, Instant.now(), taskPartitions);
        DemoCommand.progress(out, outcomes.sent() + " task outcomes sent; input closed at " + end + " (completion window "
                + window + "): every task a window older is final");
    }

    /**
     * The task results have caught up when task cost + untasked cost is the priced cost in every month (the input
     * is closed, so every task is final), or after 60 s (then the tasks report says by how much it differs).
     */
    void waitForTasks(EmbeddedWarehouse warehouse) throws SQLException, InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!stopping.getAsBoolean()) {
            try (Connection c = warehouse.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE difference_usd <> 0), coalesce(sum(tasks), 0),"
                         + " coalesce(sum(accounted_cost_usd), 0) FROM v_task_cost_tieout")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    DemoCommand.progress(out, "task results caught up: " + rs.getLong(2) + " final tasks; task + untasked cost $"
                            + rs.getBigDecimal(3).toPlainString() + " = priced cost");
                    break;
                }
                if (System.currentTimeMillis() > deadline) {
                    DemoCommand.progress(out, "task results have NOT caught up after 60 s (tasks not final yet, see the tasks report)");
                    break;
                }
            }
            Thread.sleep(500);
        }
        tally.poll(Duration.ofMillis(200));
        if (tally.outcomesDeadLettered() > 0) {
            DemoCommand.progress(out, tally.outcomesDeadLettered() + " task outcomes sent to the DLQ (stage task)");
        }
    }
}
