package dev.tokenledger.warehouse;

import dev.tokenledger.forecast.ForecastDay;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report forecast --format html}: one self-contained page (no external assets, no script), with per scope an
 * inline SVG of the actual daily spend, the forecast and its 80% band, then the report's table.
 */
public final class ForecastHtml {

    /** Days of actuals drawn before as-of. */
    static final int DAYS_SHOWN_BEFORE = 42;
    private static final int WIDTH = 720;
    private static final int HEIGHT = 200;
    private static final int LEFT = 60;
    private static final int RIGHT = 10;
    private static final int TOP = 10;
    private static final int BOTTOM = 24;

    private ForecastHtml() {
    }

    public static String render(ForecastReport.Result result) {
        Table table = result.table();
        StringBuilder out = new StringBuilder("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
                table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem}
                td.n{text-align:right;font-variant-numeric:tabular-nums}.legend span{margin-right:1rem}
                </style></head><body>
                <h1>%1$s</h1>
                <p class="legend"><span style="color:#222">&#9473; actual</span><span style="color:#c62828">&#9476; forecast</span>
                <span style="color:#ef9a9a">&#9632; 80%% band</span></p>
                """.formatted(esc(table.title())));
        for (ForecastReport.ScopeForecast scope : result.scopes()) {
            out.append("<h2>").append(esc(scope.scope())).append(" <small>(").append(esc(scope.forecast().method()))
                    .append(")</small></h2>\n").append(chart(scope, result.asOf()));
        }
        out.append("<table><tr>");
        table.columns().forEach(c -> out.append("<th>").append(esc(c)).append("</th>"));
        out.append("</tr>\n");
        for (List<String> row : table.rows()) {
            out.append("<tr>");
            for (String cell : row) {
                boolean number = cell != null && cell.matches("-?\\d+(\\.\\d+)?");
                out.append(number ? "<td class=\"n\">" : "<td>").append(esc(cell)).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</table>\n");
        for (String note : table.notes()) {
            out.append("<p>").append(esc(note)).append("</p>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    static String chart(ForecastReport.ScopeForecast scope, LocalDate asOf) {
        List<ForecastDay> days = scope.forecast().days();
        LocalDate first = asOf.minusDays(DAYS_SHOWN_BEFORE);
        LocalDate last = days.get(days.size() - 1).day();
        Map<LocalDate, BigDecimal> actuals = scope.actuals().subMap(first, true, last, true);
        double max = 0;
        for (BigDecimal a : actuals.values()) {
            max = Math.max(max, a.doubleValue());
        }
        for (ForecastDay d : days) {
            max = Math.max(max, (d.highUsd() != null ? d.highUsd() : d.forecastUsd()).doubleValue());
        }
        max = max <= 0 ? 1 : max * 1.05;
        Scale s = new Scale(first, last, max);
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"")
                .append(esc(scope.scope())).append(": daily spend, forecast and band\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\">\n");
        if (days.get(0).lowUsd() != null) {
            svg.append("<polygon fill=\"#ef9a9a\" fill-opacity=\"0.5\" points=\"");
            days.forEach(d -> svg.append(s.point(d.day(), d.highUsd().doubleValue())));
            for (int i = days.size() - 1; i >= 0; i--) {
                svg.append(s.point(days.get(i).day(), days.get(i).lowUsd().doubleValue()));
            }
            svg.append("\"/>\n");
        }
        svg.append("<polyline fill=\"none\" stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"5,3\" points=\"");
        days.forEach(d -> svg.append(s.point(d.day(), d.forecastUsd().doubleValue())));
        svg.append("\"/>\n<polyline fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\" points=\"");
        actuals.forEach((day, usd) -> svg.append(s.point(day, usd.doubleValue())));
        svg.append("\"/>\n");
        double asOfX = s.x(asOf);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>%n",
                asOfX, TOP, asOfX, HEIGHT - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>%n",
                LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        label(svg, LEFT, HEIGHT - 6, "start", first.toString());
        label(svg, asOfX, HEIGHT - 6, "middle", "as of " + asOf);
        label(svg, WIDTH - RIGHT, HEIGHT - 6, "end", last.toString());
        label(svg, LEFT - 4, TOP + 10, "end", String.format(Locale.ROOT, "$%.2f", max));
        label(svg, LEFT - 4, HEIGHT - BOTTOM, "end", "$0");
        return svg.append("</svg>\n").toString();
    }

    private static void label(StringBuilder svg, double x, double y, String anchor, String text) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\">%s</text>%n",
                x, y, anchor, esc(text)));
    }

    private record Scale(LocalDate first, LocalDate last, double max) {
        double x(LocalDate day) {
            double span = Math.max(1, ChronoUnit.DAYS.between(first, last));
            return LEFT + (WIDTH - LEFT - RIGHT) * ChronoUnit.DAYS.between(first, day) / span;
        }

        double y(double usd) {
            return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * usd / max;
        }

        String point(LocalDate day, double usd) {
            return String.format(Locale.ROOT, "%.1f,%.1f ", x(day), y(usd));
        }
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
