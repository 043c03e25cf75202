package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskComparisonsTest {

    private static final List<String> COLUMNS = List.of("feature", "model", "tasks", "successful_tasks", "cost_usd",
            "cost_per_call_usd", "cost_per_successful_task_usd");

    private static List<String> row(String feature, String model, String tasks, String successful, String cost,
                                    String perCall, String perSuccess) {
        List<String> row = new ArrayList<>();
        row.add(feature);
        row.add(model);
        row.add(tasks);
        row.add(successful);
        row.add(cost);
        row.add(perCall);
        row.add(perSuccess);
        return row;
    }

    @Test
    void shouldSayTheDearerModelPerCallIsCheaperPerSuccessAndByHowMuch() {
        Table rows = new Table("t", COLUMNS, List.of(
                // 10 tasks, 9 successes, 30 calls at 0.03: 0.9 / 9 = 0.1 per success.
                row("support", "big", "10", "9", "0.900000000000", "0.030000000000", "0.100000000000"),
                // 10 tasks, 2 successes, 30 calls at 0.01: 0.3 / 2 = 0.15 per success.
                row("support", "small", "10", "2", "0.300000000000", "0.010000000000", "0.150000000000")));

        assertThat(TaskComparisons.lines(rows)).containsExactly(
                "support: big is cheaper per successful task than small by $0.050000 (33.3%): $0.100000 vs $0.150000,"
                        + " although it is dearer per call ($0.030000 vs $0.010000 per call, 3.00x)");
    }

    @Test
    void shouldCompareTheCheapestWithEveryOtherModelAndNameOneWithoutSuccess() {
        Table rows = new Table("t", COLUMNS, List.of(
                row("docs", "a", "4", "2", "0.4", "0.1", "0.2"),
                row("docs", "b", "4", "4", "0.4", "0.05", "0.1"),
                row("docs", "c", "3", "0", "0.9", "0.3", null),
                row("solo", "x", "5", "5", "1", "0.2", "0.2")));

        assertThat(TaskComparisons.lines(rows)).containsExactly(
                "docs: b is cheaper per successful task than a by $0.100000 (50.0%): $0.100000 vs $0.200000,"
                        + " and cheaper per call too ($0.050000 vs $0.100000 per call)",
                "docs: b is cheaper per successful task than c, which had no successful task in 3 tasks ($0.900000 spent),"
                        + " and cheaper per call too ($0.050000 vs $0.300000 per call)");
    }

    @Test
    void shouldSayNothingForAFeatureOfOneModelOrWithoutAnySuccess() {
        Table rows = new Table("t", COLUMNS, List.of(
                row("solo", "x", "5", "5", "1", "0.2", "0.2"),
                row("lost", "x", "2", "0", "1", "0.2", null),
                row("lost", "y", "2", "0", "1", "0.2", null),
                // An unpriced model costs nothing per success: it is no comparison.
                row("free", "priced", "5", "5", "1", "0.2", "0.2"),
                row("free", "acme-llm-7b", "2", "2", "0", "0.000000000000", "0.000000000000")));

        assertThat(TaskComparisons.lines(rows)).isEmpty();
    }

    @Test
    void shouldSayWhetherTheTotalTiesToThePricedCalls() {
        assertThat(TaskReport.tieOutLine(new java.math.BigDecimal("1.000000000001"), new java.math.BigDecimal("2"),
                new java.math.BigDecimal("3.000000000001")))
                .isEqualTo("task cost $1.000000000001 + untasked cost $2 = $3.000000000001"
                        + " = priced calls of the month $3.000000000001: ties out");
        assertThat(TaskReport.tieOutLine(new java.math.BigDecimal("1"), new java.math.BigDecimal("2"),
                new java.math.BigDecimal("3.5")))
                .endsWith("priced calls of the month $3.5: differs by $0.5 (tasks not final yet, or a task counted whole in the month of its first call)");
    }
}
