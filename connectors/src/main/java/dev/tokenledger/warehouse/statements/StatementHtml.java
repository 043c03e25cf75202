package dev.tokenledger.warehouse.statements;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Printable HTML statements: one self-contained document (inline CSS and SVG, no scripts, fonts or images from
 * anywhere), a section per owner that starts a new page when printed. Amounts are cents with the exact 12-place
 * value in the cell's title.
 */
public final class StatementHtml {

    private static final int CHART_WIDTH = 640;
    private static final int BAR_CHART_HEIGHT = 160;

    private StatementHtml() {
    }

    /** One document holding the statements asked for (all, or {@code owner}'s). */
    public static String document(StatementPack pack, String owner) {
        List<OwnerStatement> statements = StatementReport.select(pack, owner);
        StringBuilder out = new StringBuilder(head("Statements " + pack.month().month()));
        for (OwnerStatement s : statements) {
            section(out, pack, s);
        }
        return out.append("</body></html>\n").toString();
    }

    /** One owner's statement as a document of its own. */
    public static String document(StatementPack pack, OwnerStatement statement) {
        StringBuilder out = new StringBuilder(head("Statement " + statement.scope() + " " + pack.month().month()));
        section(out, pack, statement);
        return out.append("</body></html>\n").toString();
    }

    /** A file name for an owner's statement: the month and the scope, anything but letters, digits, '-' and '_' as '_'. */
    public static String fileName(StatementPack pack, OwnerStatement statement) {
        return "statement-" + pack.month().month() + "-" + statement.scope().replaceAll("[^A-Za-z0-9_-]", "_") + ".html";
    }

    private static String head(String title) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}
                section.statement{page-break-after:always;break-after:page;margin-bottom:3rem}
                table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.2rem .45rem;font-size:.9rem}
                td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3;text-align:left}
                .total td{font-weight:600}.note{color:#555;font-size:.85rem}
                svg text{font-size:10px;fill:#333}
                @media print{body{margin:1cm}}
                </style></head><body>
                """.formatted(esc(title));
    }

    private static void section(StringBuilder out, StatementPack pack, OwnerStatement s) {
        MonthStatements m = pack.month();
        out.append("<section class=\"statement\" data-scope=\"").append(esc(s.scope())).append("\">\n");
        out.append("<h1>Statement ").append(esc(s.scope())).append(", ").append(m.month()).append("</h1>\n");
        out.append("<p>").append(esc(m.level().code())).append(" <strong>").append(esc(s.scope())).append("</strong>")
                .append(s.owner().isEmpty() ? "" : ", owner " + esc(s.owner()))
                .append(". Features: ").append(esc(String.join(", ", s.features()))).append(".</p>\n");
        out.append("<table class=\"summary\"><tr><th></th><th>USD</th><th>exact USD</th></tr>\n");
        summaryRow(out, "direct", "direct cost", s.direct());
        summaryRow(out, "shared", "shared cost (received minus given)", s.shared());
        out.append("<tr class=\"total\"><td>total</td><td class=\"n\" id=\"total-usd\">").append(s.total().cents().toPlainString())
                .append("</td><td class=\"n\" id=\"total-exact-usd\">").append(s.total().exact().toPlainString()).append("</td></tr>\n</table>\n");

        out.append("<h2>The month by day</h2>\n").append(dayChart(m, s.byDay()));
        Map<String, BigDecimal> byFeature = new LinkedHashMap<>();
        for (OwnerStatement.DirectLine line : s.directLines()) {
            byFeature.merge(line.feature(), line.cost().exact(), BigDecimal::add);
        }
        out.append("<h2>Direct cost by feature</h2>\n").append(featureChart(byFeature));

        out.append("<h2>Direct cost by feature, model and environment</h2>\n<table><tr><th>feature</th><th>model</th>")
                .append("<th>environment</th><th>requests</th><th>USD</th></tr>\n");
        for (OwnerStatement.DirectLine line : s.directLines()) {
            out.append("<tr><td>").append(esc(line.feature())).append("</td><td>").append(esc(line.model())).append("</td><td>")
                    .append(esc(line.environment())).append("</td><td class=\"n\">").append(line.requests()).append("</td>")
                    .append(amount(line.cost())).append("</tr>\n");
        }
        out.append("</table>\n");

        out.append("<h2>Shared cost</h2>\n");
        if (s.sharedLines().isEmpty()) {
            out.append("<p class=\"note\">No allocation rule moves cost into or out of this statement.</p>\n");
        } else {
            out.append("<table><tr><th>rule</th><th>source bucket</th><th>method</th><th>basis</th><th>this owner's share</th>")
                    .append("<th>received</th><th>given</th><th>net</th></tr>\n");
            for (OwnerStatement.SharedLine line : s.sharedLines()) {
                out.append("<tr><td>").append(esc(line.rule())).append("</td><td>").append(esc(line.source())).append("</td><td>")
                        .append(esc(line.method())).append("</td><td>").append(esc(line.basis())).append("</td><td>")
                        .append(esc(line.share())).append("</td>").append(amount(line.received())).append(amount(line.given()))
                        .append(amount(line.net())).append("</tr>\n");
            }
            out.append("</table>\n");
        }

        OwnerStatement.Change c = s.change();
        out.append("<h2>Change from the prior month</h2>\n<table><tr><th>prior total</th><th>change</th><th>volume</th>")
                .append("<th>mix</th><th>rate</th><th>shared</th></tr>\n<tr>").append(amount(c.priorTotal()))
                .append(amount(c.total())).append(amount(c.volume())).append(amount(c.mix())).append(amount(c.rate()))
                .append(amount(c.shared())).append("</tr></table>\n<p class=\"note\">change = volume + mix + rate + shared, exactly"
                        + " and to the cent. Volume: more or fewer requests at last month's average cost; mix: requests"
                        + " moving between features and models; rate: cost per request of each feature and model; shared:"
                        + " the change of the shared cost.</p>\n");

        out.append("<h2>Budgets</h2>\n");
        List<StatementPack.BudgetLine> budgets = pack.budgetsOf(s.scope());
        if (budgets.isEmpty()) {
            out.append("<p class=\"note\">No monthly team or feature budget covers this statement.</p>\n");
        } else {
            out.append("<table><tr><th>budget</th><th>amount</th><th>spend</th><th>used %</th><th>state</th></tr>\n");
            for (StatementPack.BudgetLine b : budgets) {
                out.append("<tr><td>").append(esc(b.scopeType() + " " + b.scopeId())).append("</td><td class=\"n\">")
                        .append(esc(b.budgetUsd())).append("</td><td class=\"n\">").append(esc(b.spendUsd())).append("</td><td class=\"n\">")
                        .append(esc(b.usedPct())).append("</td><td>").append(esc(b.state())).append("</td></tr>\n");
            }
            out.append("</table>\n");
        }
        List<StatementPack.AnomalyLine> anomalies = pack.anomaliesOf(s.scope());
        if (!anomalies.isEmpty()) {
            out.append("<h2>Anomalies</h2>\n<ul>\n");
            for (StatementPack.AnomalyLine a : anomalies) {
                out.append("<li>").append(esc(a.detectedAt())).append(" <strong>").append(esc(a.kind())).append("</strong> ")
                        .append(esc(a.scope())).append(", impact ").append(esc(a.impactUsd())).append(" USD, ")
                        .append(esc(a.severity())).append(", ").append(esc(a.state())).append(": ").append(esc(a.explanation()))
                        .append("</li>\n");
            }
            out.append("</ul>\n");
        }
        out.append("<h2>Notes</h2>\n<ul class=\"note\">\n");
        for (String note : StatementReport.notes(pack)) {
            out.append("<li>").append(esc(note)).append("</li>\n");
        }
        out.append("</ul>\n</section>\n");
    }

    private static void summaryRow(StringBuilder out, String id, String label, OwnerStatement.Amount a) {
        out.append("<tr><td>").append(esc(label)).append("</td><td class=\"n\" id=\"").append(id).append("-usd\">")
                .append(a.cents().toPlainString()).append("</td><td class=\"n\">").append(a.exact().toPlainString()).append("</td></tr>\n");
    }

    private static String amount(OwnerStatement.Amount a) {
        return "<td class=\"n\" title=\"" + a.exact().toPlainString() + "\">" + a.cents().toPlainString() + "</td>";
    }

    /** A bar per day of the month (empty days included), height by direct cost. */
    static String dayChart(MonthStatements m, Map<LocalDate, BigDecimal> byDay) {
        int days = m.month().lengthOfMonth();
        BigDecimal max = byDay.values().stream().reduce(BigDecimal.ZERO, BigDecimal::max);
        int plotTop = 10;
        int plotHeight = BAR_CHART_HEIGHT - 30;
        double slot = (CHART_WIDTH - 50) / (double) days;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"by-day\" width=\"" + CHART_WIDTH
                + "\" height=\"" + BAR_CHART_HEIGHT + "\" role=\"img\" aria-label=\"direct cost by day\">\n");
        svg.append("<text x=\"0\" y=\"").append(plotTop + 4).append("\">").append(max.setScale(2, RoundingMode.HALF_EVEN).toPlainString())
                .append("</text>\n");
        for (int d = 1; d <= days; d++) {
            BigDecimal value = byDay.getOrDefault(m.month().atDay(d), BigDecimal.ZERO);
            double h = max.signum() == 0 ? 0 : value.doubleValue() / max.doubleValue() * plotHeight; // pixels, not money
            double x = 45 + (d - 1) * slot;
            svg.append(String.format(java.util.Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea8\"><title>%s: %s USD</title></rect>\n",
                    x, plotTop + plotHeight - h, Math.max(slot - 2, 1), h, m.month().atDay(d), value.toPlainString()));
            if (d == 1 || d % 5 == 0) {
                svg.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%d</text>\n", x, BAR_CHART_HEIGHT - 6, d));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    /** A horizontal bar per feature, longest first. */
    static String featureChart(Map<String, BigDecimal> byFeature) {
        List<Map.Entry<String, BigDecimal>> rows = byFeature.entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()).toList();
        BigDecimal max = rows.stream().map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::max);
        int rowHeight = 20;
        int labelWidth = 170;
        int barSpace = CHART_WIDTH - labelWidth - 90;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"by-feature\" width=\"" + CHART_WIDTH
                + "\" height=\"" + Math.max(rowHeight, rows.size() * rowHeight) + "\" role=\"img\" aria-label=\"direct cost by feature\">\n");
        for (int i = 0; i < rows.size(); i++) {
            BigDecimal value = rows.get(i).getValue();
            double w = max.signum() == 0 ? 0 : value.doubleValue() / max.doubleValue() * barSpace; // pixels, not money
            int y = i * rowHeight;
            svg.append("<text x=\"0\" y=\"").append(y + 14).append("\">").append(esc(rows.get(i).getKey())).append("</text>\n");
            svg.append(String.format(java.util.Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#7a9a3a\"></rect>\n",
                    labelWidth, y + 3, w, rowHeight - 6));
            svg.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", labelWidth + w + 4, y + 14,
                    value.setScale(2, RoundingMode.HALF_EVEN).toPlainString()));
        }
        return svg.append("</svg>\n").toString();
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
