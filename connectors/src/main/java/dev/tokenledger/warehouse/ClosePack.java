package dev.tokenledger.warehouse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The close pack: one document per month for finance, from the reconciliation views. Per provider the derived and
 * invoiced totals, the variance against the tolerance, the dollars of each cause, the unexplained remainder, and the
 * actions the causes call for (each row's evidence ends with what to do). Markdown, or HTML with a bar per cause.
 */
public final class ClosePack {

    private ClosePack() {
    }

    /** One provider's month as the pack shows it. */
    record Provider(String name, Table totals, Table causes, Table actions) {
        String cell(String column) {
            return totals.cell(0, column);
        }
    }

    public static String render(DataSource dataSource, ReportOptions options, String format) {
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (!f.equals("md") && !f.equals("html")) {
            throw new IllegalArgumentException("close is written as md or html, not '" + format + "'");
        }
        YearMonth month;
        List<Provider> providers = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            Table months = Reports.query(connection, "months", "select max(month) from llm_reconciliation", 0);
            month = options.month().orElseGet(() -> months.cell(0, "max") == null
                    ? YearMonth.now(java.time.ZoneOffset.UTC) : YearMonth.parse(months.cell(0, "max")));
            Table names = Reports.query(connection, "providers", """
                    select provider from v_reconciliation_close
                    where month = ? and (cast(? as text) is null or provider = ?) order by provider""", 0,
                    month.toString(), options.provider().orElse(null), options.provider().orElse(null));
            for (String provider : names.column("provider")) {
                providers.add(new Provider(provider,
                        Reports.query(connection, "totals", """
                                select c.derived_usd, c.invoiced_usd, c.variance_usd, c.variance_pct, c.explained_usd,
                                       c.unexplained_usd, a.tolerance_usd, a.state, c.first_day, c.last_day
                                from v_reconciliation_close c
                                left join llm_alerts_reconciliation a on a.provider = c.provider and a.month = c.month
                                where c.provider = ? and c.month = ?""", 0, provider, month.toString()),
                        Reports.query(connection, "causes", """
                                select cause, sum(variance_usd) as usd, count(*) as cells, sum(days) as days
                                from v_reconciliation_causes
                                where provider = ? and month = ?
                                group by cause
                                order by (cause = 'unexplained'), abs(sum(variance_usd)) desc, cause""", 0, provider, month.toString()),
                        Reports.query(connection, "actions", """
                                select cause, model, charge_class, variance_usd, days, first_day, evidence
                                from v_reconciliation_causes
                                where provider = ? and month = ? and cause <> 'within_tolerance' and variance_usd <> 0
                                order by (cause = 'unexplained'), abs(variance_usd) desc, model, charge_class
                                limit 25""", 0, provider, month.toString())));
            }
        } catch (SQLException e) {
            throw new WarehouseException("close pack failed: " + e.getMessage(), e);
        }
        return f.equals("md") ? markdown(month, providers) : html(month, providers);
    }

    private static String markdown(YearMonth month, List<Provider> providers) {
        StringBuilder out = new StringBuilder("# Close ").append(month).append("\n\n");
        if (providers.isEmpty()) {
            return out.append("No invoice has been loaded for ").append(month)
                    .append(": `tokenledger load invoice FILE...`, then wait for the reconcile stage.\n").toString();
        }
        out.append("Derived cost is what the priced gateway events cost at the price book's rates; invoiced is what the ")
                .append("provider's invoice or cost export bills. Variance = invoiced - derived.\n\n");
        out.append("| provider | derived | invoiced | variance | % | tolerance | verdict | explained | unexplained |\n")
                .append("|---|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (Provider p : providers) {
            out.append("| ").append(p.name()).append(" | ").append(usd(p.cell("derived_usd"))).append(" | ")
                    .append(usd(p.cell("invoiced_usd"))).append(" | ").append(signed(p.cell("variance_usd"))).append(" | ")
                    .append(pct(p.cell("variance_pct"))).append(" | ").append(usd(p.cell("tolerance_usd"))).append(" | ")
                    .append(verdict(p)).append(" | ").append(signed(p.cell("explained_usd"))).append(" | ")
                    .append(signed(p.cell("unexplained_usd"))).append(" |\n");
        }
        for (Provider p : providers) {
            out.append("\n## ").append(p.name()).append(": ").append(verdict(p)).append("\n\n");
            out.append("Days ").append(p.cell("first_day")).append(" to ").append(p.cell("last_day"))
                    .append("; variance ").append(signed(p.cell("variance_usd"))).append(" of ")
                    .append(usd(p.cell("invoiced_usd"))).append(" invoiced (exact: ").append(p.cell("variance_usd")).append(").\n\n");
            out.append("| cause | USD | cells | days |\n|---|---:|---:|---:|\n");
            for (int r = 0; r < p.causes().rows().size(); r++) {
                out.append("| ").append(p.causes().cell(r, "cause")).append(" | ").append(signed(p.causes().cell(r, "usd")))
                        .append(" | ").append(p.causes().cell(r, "cells")).append(" | ").append(p.causes().cell(r, "days")).append(" |\n");
            }
            if (p.actions().rows().isEmpty()) {
                out.append("\nNothing to act on.\n");
                continue;
            }
            out.append("\nActions, largest first:\n\n");
            for (int r = 0; r < p.actions().rows().size(); r++) {
                Table a = p.actions();
                out.append("- **").append(a.cell(r, "cause")).append("**, ").append(a.cell(r, "model")).append(' ')
                        .append(a.cell(r, "charge_class")).append(", ").append(signed(a.cell(r, "variance_usd")))
                        .append(" (").append(a.cell(r, "days")).append(" day(s) from ").append(a.cell(r, "first_day"))
                        .append("): ").append(a.cell(r, "evidence")).append('\n');
            }
        }
        return out.toString();
    }

    private static String html(YearMonth month, List<Provider> providers) {
        StringBuilder out = new StringBuilder("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Close %s</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
                table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem}
                td.n{text-align:right;font-variant-numeric:tabular-nums}.beyond{color:#b00020;font-weight:600}.within{color:#1b5e20}
                li{margin:.3rem 0}
                </style></head><body>
                <h1>Close %s</h1>
                """.formatted(month, month));
        if (providers.isEmpty()) {
            return out.append("<p>No invoice has been loaded for ").append(month).append(".</p></body></html>\n").toString();
        }
        out.append("<table><tr><th>provider</th><th>derived</th><th>invoiced</th><th>variance</th><th>%</th>")
                .append("<th>tolerance</th><th>verdict</th><th>explained</th><th>unexplained</th></tr>\n");
        for (Provider p : providers) {
            out.append("<tr><td>").append(esc(p.name())).append("</td>")
                    .append(num(usd(p.cell("derived_usd")))).append(num(usd(p.cell("invoiced_usd"))))
                    .append(num(signed(p.cell("variance_usd")))).append(num(pct(p.cell("variance_pct"))))
                    .append(num(usd(p.cell("tolerance_usd"))))
                    .append("<td class=\"").append(verdict(p).startsWith("beyond") ? "beyond" : "within").append("\">")
                    .append(esc(verdict(p))).append("</td>")
                    .append(num(signed(p.cell("explained_usd")))).append(num(signed(p.cell("unexplained_usd")))).append("</tr>\n");
        }
        out.append("</table>\n");
        for (Provider p : providers) {
            out.append("<h2>").append(esc(p.name())).append("</h2>\n").append(bars(p.causes()));
            out.append("<table><tr><th>cause</th><th>USD</th><th>cells</th><th>days</th></tr>\n");
            for (int r = 0; r < p.causes().rows().size(); r++) {
                out.append("<tr><td>").append(esc(p.causes().cell(r, "cause"))).append("</td>")
                        .append(num(signed(p.causes().cell(r, "usd")))).append(num(p.causes().cell(r, "cells")))
                        .append(num(p.causes().cell(r, "days"))).append("</tr>\n");
            }
            out.append("</table>\n<ul>\n");
            for (int r = 0; r < p.actions().rows().size(); r++) {
                Table a = p.actions();
                out.append("<li><b>").append(esc(a.cell(r, "cause"))).append("</b>, ").append(esc(a.cell(r, "model"))).append(' ')
                        .append(esc(a.cell(r, "charge_class"))).append(", ").append(esc(signed(a.cell(r, "variance_usd"))))
                        .append(": ").append(esc(a.cell(r, "evidence"))).append("</li>\n");
            }
            out.append("</ul>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    /** An inline SVG bar per cause, length by dollars, so the pack shows where the variance is at a glance. */
    private static String bars(Table causes) {
        BigDecimal max = BigDecimal.ZERO;
        for (String usd : causes.column("usd")) {
            max = max.max(new BigDecimal(usd).abs());
        }
        if (max.signum() == 0) {
            return "";
        }
        int rowHeight = 22;
        StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"variance by cause\" width=\"640\" height=\"")
                .append(rowHeight * causes.rows().size() + 4).append("\">\n");
        for (int r = 0; r < causes.rows().size(); r++) {
            BigDecimal usd = new BigDecimal(causes.cell(r, "usd"));
            int width = usd.abs().multiply(BigDecimal.valueOf(400)).divide(max, 0, RoundingMode.HALF_EVEN).intValue();
            int y = r * rowHeight + 2;
            svg.append("<text x=\"0\" y=\"").append(y + 15).append("\" font-size=\"13\">").append(esc(causes.cell(r, "cause")))
                    .append("</text><rect x=\"190\" y=\"").append(y + 3).append("\" width=\"").append(Math.max(width, 1))
                    .append("\" height=\"14\" fill=\"").append(usd.signum() < 0 ? "#1565c0" : "#c62828").append("\"/>")
                    .append("<text x=\"").append(196 + width).append("\" y=\"").append(y + 15).append("\" font-size=\"12\">")
                    .append(esc(signed(causes.cell(r, "usd")))).append("</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static String verdict(Provider p) {
        String state = p.cell("state");
        return state == null ? "not yet decided" : state.replace('_', ' ');
    }

    static String usd(String exact) {
        return exact == null ? "" : "$" + new BigDecimal(exact).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    static String signed(String exact) {
        if (exact == null) {
            return "";
        }
        BigDecimal v = new BigDecimal(exact).setScale(2, RoundingMode.HALF_EVEN);
        return (v.signum() > 0 ? "+$" : v.signum() < 0 ? "-$" : "$") + v.abs().toPlainString();
    }

    private static String pct(String exact) {
        return exact == null ? "" : new BigDecimal(exact).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }

    private static String num(String text) {
        return "<td class=\"n\">" + esc(text) + "</td>";
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
