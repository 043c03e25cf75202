package dev.tokenledger.warehouse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sentences under the tasks report: for each feature that two or more models served, which model is cheaper
 * per successful task than each of the others and by how much, next to what each costs per call, so that a model
 * that is dearer per call but cheaper per success says so. Models that cost nothing (unpriced) are left out. Amounts in the sentences are rounded to 6 places and
 * percentages to 1 (half even); the exact figures are the report's rows.
 */
public final class TaskComparisons {

    private static final int SHOWN_SCALE = 6;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private TaskComparisons() {
    }

    /** One model's line of a feature: the columns of {@code v_tasks_monthly} the comparison reads. */
    record ModelLine(String feature, String model, long tasks, long successful, BigDecimal cost,
                     BigDecimal costPerCall, BigDecimal costPerSuccess) {
    }

    /**
     * The comparisons, one sentence per (cheapest model, other model) of a feature, features by name.
     *
     * @param rows columns feature, model, tasks, successful_tasks, cost_usd, cost_per_call_usd,
     *             cost_per_successful_task_usd (one row per feature and model)
     */
    public static List<String> lines(Table rows) {
        Map<String, List<ModelLine>> byFeature = new LinkedHashMap<>();
        for (int i = 0; i < rows.rows().size(); i++) {
            ModelLine line = new ModelLine(rows.cell(i, "feature"), rows.cell(i, "model"),
                    Long.parseLong(rows.cell(i, "tasks")), Long.parseLong(rows.cell(i, "successful_tasks")),
                    decimal(rows.cell(i, "cost_usd")), decimal(rows.cell(i, "cost_per_call_usd")),
                    decimal(rows.cell(i, "cost_per_successful_task_usd")));
            byFeature.computeIfAbsent(line.feature(), f -> new ArrayList<>()).add(line);
        }
        List<String> sentences = new ArrayList<>();
        byFeature.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sentences.addAll(compare(e.getValue())));
        return sentences;
    }

    static List<String> compare(List<ModelLine> models) {
        // A model that cost nothing is one the price book does not know (priced at zero, flagged unpriced): it would
        // win every comparison, so it takes part in none.
        List<ModelLine> served = models.stream()
                .filter(m -> m.tasks() > 0 && m.costPerCall() != null && m.costPerCall().signum() > 0).toList();
        if (served.size() < 2) {
            return List.of();
        }
        List<ModelLine> succeeded = served.stream().filter(m -> m.costPerSuccess() != null)
                .sorted(Comparator.comparing(ModelLine::costPerSuccess).thenComparing(ModelLine::model)).toList();
        if (succeeded.isEmpty()) {
            return List.of();
        }
        ModelLine best = succeeded.get(0);
        List<String> sentences = new ArrayList<>();
        for (ModelLine other : served) {
            if (other == best) {
                continue;
            }
            sentences.add(other.costPerSuccess() == null ? noSuccess(best, other) : cheaper(best, other));
        }
        return sentences;
    }

    private static String cheaper(ModelLine best, ModelLine other) {
        BigDecimal difference = other.costPerSuccess().subtract(best.costPerSuccess());
        StringBuilder s = new StringBuilder(best.feature()).append(": ");
        if (difference.signum() == 0) {
            s.append(best.model()).append(" and ").append(other.model()).append(" cost the same per successful task, $")
                    .append(shown(best.costPerSuccess()));
        } else {
            s.append(best.model()).append(" is cheaper per successful task than ").append(other.model())
                    .append(" by $").append(shown(difference))
                    .append(" (").append(percent(difference, other.costPerSuccess())).append("%): $")
                    .append(shown(best.costPerSuccess())).append(" vs $").append(shown(other.costPerSuccess()));
        }
        s.append(perCall(best, other));
        return s.toString();
    }

    private static String noSuccess(ModelLine best, ModelLine other) {
        return best.feature() + ": " + best.model() + " is cheaper per successful task than " + other.model()
                + ", which had no successful task in " + other.tasks() + (other.tasks() == 1 ? " task" : " tasks")
                + " ($" + shown(other.cost()) + " spent)" + perCall(best, other);
    }

    /** The per-call side: the inversion said in words when the one cheaper per success is dearer per call. */
    private static String perCall(ModelLine best, ModelLine other) {
        if (best.costPerCall() == null || other.costPerCall() == null) {
            return "";
        }
        int order = best.costPerCall().compareTo(other.costPerCall());
        String prices = "$" + shown(best.costPerCall()) + " vs $" + shown(other.costPerCall()) + " per call";
        if (order > 0) {
            String times = other.costPerCall().signum() == 0 ? ""
                    : ", " + best.costPerCall().divide(other.costPerCall(), 2, RoundingMode.HALF_EVEN).toPlainString() + "x";
            return ", although it is dearer per call (" + prices + times + ")";
        }
        return order < 0 ? ", and cheaper per call too (" + prices + ")" : ", at the same cost per call (" + prices + ")";
    }

    private static String percent(BigDecimal part, BigDecimal whole) {
        return part.multiply(HUNDRED).divide(whole, 1, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String shown(BigDecimal amount) {
        return amount.setScale(SHOWN_SCALE, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static BigDecimal decimal(String cell) {
        return cell == null ? null : new BigDecimal(cell);
    }
}
