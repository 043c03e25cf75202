package dev.tokenledger.task;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UntaskedCost;
import dev.tokenledger.money.Money;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The cost of calls without a task_id, per (attributed feature, UTC day), summed where the priced
 * call is: no repartition, one cached store update per untasked call. Changed lines are written every
 * emit interval, keyed {@code feature|day|partition} (each partition of the priced stream counts its
 * own calls; a reader sums the lines over partitions), so task cost plus untasked cost is the priced cost exactly.
 *
 * <p>Which lines changed is kept in memory: after a restart or rebalance every line is re-emitted once,
 * which is harmless (the latest value per key is the truth) and covers changes committed but not yet written.
 */
public final class UntaskedProcessor implements Processor<String, PricedUsage, String, UntaskedCost> {

    public static final String STORE = "task-untasked-store";

    private final Duration emitInterval;
    private final long keepDays;
    private final Set<String> changed = new LinkedHashSet<>();
    private ProcessorContext<String, UntaskedCost> context;
    private KeyValueStore<String, UntaskedCost> lines;

    /** @param keep how long a day's line can still change (the acceptance horizon): older lines are dropped */
    public UntaskedProcessor(Duration emitInterval, Duration keep) {
        this.emitInterval = emitInterval;
        this.keepDays = keep.toDays() + 2;
    }

    @Override
    public void init(ProcessorContext<String, UntaskedCost> context) {
        this.context = context;
        this.lines = context.getStateStore(STORE);
        try (KeyValueIterator<String, UntaskedCost> it = lines.all()) {
            it.forEachRemaining(kv -> changed.add(kv.key));
        }
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, this::emit);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::dropOldDays);
    }

    @Override
    public void process(Record<String, PricedUsage> record) {
        PricedUsage p = record.value();
        if (p == null || TaskCalls.taskId(p) != null) {
            return;
        }
        String feature = p.getAttribution().getFeature();
        LocalDate day = LocalDate.ofInstant(p.getEvent().getTimestamp(), ZoneOffset.UTC);
        String key = feature + "|" + day;
        UntaskedCost line = lines.get(key);
        if (line == null) {
            line = UntaskedCost.newBuilder().setFeature(feature).setDay(day).setPartition(context.taskId().partition())
                    .setCalls(0).setCostUsd(Money.ZERO.toBigDecimal()).build();
        }
        line.setCalls(line.getCalls() + 1);
        line.setCostUsd(Money.of(line.getCostUsd()).plus(TaskCalls.cost(p)).toBigDecimal());
        lines.put(key, line);
        changed.add(key);
    }

    private void emit(long now) {
        for (String key : changed) {
            UntaskedCost line = lines.get(key);
            if (line != null) {
                context.forward(new Record<>(key + "|" + line.getPartition(), line, now));
            }
        }
        changed.clear();
    }

    /** A day older than the acceptance horizon can no longer change. */
    private void dropOldDays(long now) {
        LocalDate oldest = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(now), ZoneOffset.UTC).minusDays(keepDays);
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, UntaskedCost> it = lines.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.getDay().isBefore(oldest)) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(lines::delete);
        old.forEach(changed::remove);
    }
}
