package dev.tokenledger.task;

import dev.tokenledger.config.TokenLedgerConfig;
import java.time.Duration;

/**
 * The task stage's configuration ({@code tokenledger.task.*}, declared in
 * {@link dev.tokenledger.config.ConfigRegistry}), plus the acceptance horizon outcomes are checked
 * against, the same as for usage events.
 *
 * @param completionWindow event time within which a task's calls and outcomes belong together; also how far stream
 *                         time must pass its latest activity before its record is first written
 * @param finalRetention stream time a final task is kept after finality or its latest input, whichever is later
 * @param partitions partitions of the task stage's two repartition topics
 * @param maxEventAge outcomes older than this before the wall clock are dead-lettered {@code too_old}
 * @param maxFutureSkew outcomes further ahead of the wall clock are dead-lettered {@code future_timestamp}
 * @param emitInterval wall-clock interval at which changed untasked-cost lines are written
 */
public record TaskSettings(Duration completionWindow, Duration finalRetention, int partitions,
                           Duration maxEventAge, Duration maxFutureSkew, Duration emitInterval) {

    public static TaskSettings from(TokenLedgerConfig c) {
        return new TaskSettings(c.duration(TokenLedgerConfig.TASK_COMPLETION_WINDOW),
                c.duration(TokenLedgerConfig.TASK_FINAL_RETENTION), c.integer(TokenLedgerConfig.TASK_PARTITIONS),
                c.duration(TokenLedgerConfig.MAX_EVENT_AGE), c.duration(TokenLedgerConfig.MAX_FUTURE_SKEW),
                c.duration(TokenLedgerConfig.ROLLUP_EMIT_INTERVAL));
    }

    /**
     * How often, in stream time, due tasks are looked for: a minute, or the window when it is shorter.
     * The look-up reads only the due entries of the deadline index, so a short interval costs little.
     */
    public Duration finalityCheck() {
        Duration minute = Duration.ofMinutes(1);
        return completionWindow.compareTo(minute) < 0 ? completionWindow : minute;
    }
}
