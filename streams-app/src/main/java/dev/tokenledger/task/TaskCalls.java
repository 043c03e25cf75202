package dev.tokenledger.task;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.TaskCall;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/** The task stage's one per-call record: slim, and only for calls that carry a task_id. */
public final class TaskCalls {

    private TaskCalls() {
    }

    /** The call keyed by its task_id, or nothing when it has none (then its cost is an untasked line). */
    public static List<KeyValue<String, TaskCall>> of(PricedUsage priced) {
        UsageEvent e = priced.getEvent();
        String task = taskId(priced);
        if (task == null) {
            return List.of();
        }
        TaskCall call = TaskCall.newBuilder()
                .setRequestId(e.getRequestId())
                .setEventTime(e.getTimestamp())
                .setFeature(priced.getAttribution().getFeature())
                .setModel(priced.getBilledModel())
                .setCost(cost(priced).toBigDecimal())
                .setSucceeded("success".equals(e.getStatus()))
                .setRetry(e.getAttempt() > 1 || e.getRetryOf() != null)
                .build();
        return List.of(KeyValue.pair(task, call));
    }

    /** The call's task_id, or null when it is absent or blank (such a call belongs to no task). */
    public static String taskId(PricedUsage priced) {
        String task = priced.getEvent().getTaskId();
        return task == null || task.isBlank() ? null : task;
    }

    /** The call's total cost; an unpriced call counts zero, as in the rollups. */
    public static Money cost(PricedUsage priced) {
        return priced.getCost() == null ? Money.ZERO : Money.ofNullable(priced.getCost().getTotal());
    }
}
