package dev.tokenledger.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * The end-of-run summary: what came in, what was priced, where the money went, and whether it ties
 * out. {@code eventsRead} is what the validate stage read, so the accounting line checks the
 * promise that every record read is priced, dead-lettered or absorbed as a duplicate, and nothing else.
 */
public record DemoSummary(long eventsSent, long eventsRead, long duplicatesAbsorbed, OutputTally.Snapshot totals) {

    /** read = priced (unpriced included) + dead-lettered + duplicates absorbed. */
    public boolean accountedFor() {
        return eventsRead == totals.priced() + totals.deadLettered() + duplicatesAbsorbed;
    }

    public void print(PrintWriter out) {
        out.println();
        out.println("== tokenledger summary ==");
        out.printf("events sent            %,d%n", eventsSent);
        out.printf("events read            %,d%n", eventsRead);
        out.printf("priced                 %,d  (unpriced: %,d)%n", totals.priced(), totals.unpriced());
        out.printf("duplicates absorbed    %,d%n", duplicatesAbsorbed);
        out.printf("sent to the DLQ        %,d  %s%n", totals.deadLettered(), totals.deadLetteredByReason());
        out.printf("accounted for          %s (read %,d = priced %,d + DLQ %,d + duplicates %,d)%n", accountedFor() ? "yes" : "NO",
                eventsRead, totals.priced(), totals.deadLettered(), duplicatesAbsorbed);
        out.printf("total cost             $%s%n", totals.pricedTotal().toPlainString());
        out.printf("attribution coverage   %s%%%n", totals.attributionCoverage().movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString());
        out.printf("rollups tie out        %s (hourly $%s, daily $%s)%n", totals.tiesOut() ? "yes" : "NO",
                totals.hourlyRollupTotal().toPlainString(), totals.dailyRollupTotal().toPlainString());
        printTable(out, "spend by team", totals.costByTeam());
        printTable(out, "spend by feature", totals.costByFeature());
        out.flush();
    }

    private static void printTable(PrintWriter out, String title, Map<String, BigDecimal> rows) {
        out.println();
        out.println(title + ":");
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        rows.entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> out.printf("  %-" + width + "s  $%s%n", e.getKey(), e.getValue().toPlainString()));
    }

    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode n = mapper.createObjectNode();
        n.put("events_sent", eventsSent);
        n.put("events_read", eventsRead);
        n.put("priced", totals.priced());
        n.put("unpriced", totals.unpriced());
        n.put("duplicates_absorbed", duplicatesAbsorbed);
        n.put("dead_lettered", totals.deadLettered());
        ObjectNode dlq = n.putObject("dead_lettered_by_reason");
        totals.deadLetteredByReason().forEach(dlq::put);
        n.put("accounted_for", accountedFor());
        n.put("total_cost_usd", totals.pricedTotal().toPlainString());
        ObjectNode team = n.putObject("cost_by_team");
        totals.costByTeam().forEach((k, v) -> team.put(k, v.toPlainString()));
        ObjectNode feature = n.putObject("cost_by_feature");
        totals.costByFeature().forEach((k, v) -> feature.put(k, v.toPlainString()));
        n.put("attribution_coverage", totals.attributionCoverage().toPlainString());
        n.put("hourly_rollup_total_usd", totals.hourlyRollupTotal().toPlainString());
        n.put("daily_rollup_total_usd", totals.dailyRollupTotal().toPlainString());
        n.put("rollups_tie_out", totals.tiesOut());
        return n;
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson()) + "\n");
    }
}
