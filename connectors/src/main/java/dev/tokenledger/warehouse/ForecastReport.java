package dev.tokenledger.warehouse;

import dev.tokenledger.forecast.Band;
import dev.tokenledger.forecast.DailySpend;
import dev.tokenledger.forecast.Forecast;
import dev.tokenledger.forecast.ForecastDay;
import dev.tokenledger.forecast.Forecaster;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * {@code report forecast}: every scope's spend forecast from the daily rollups ({@code v_rollups_daily}), by month or
 * by day, from {@code asOf} to the horizon's end, next to what is already spent and, for a past {@code --as-of}, what
 * was actually spent. The method is {@link Forecaster}'s (docs/forecasting.md).
 *
 * <p>Scopes: team and feature as the rollups carry them; product_line through the ownership registry's feature rows
 * ({@code -} for a feature without one); cohort as {@code v_spend_customer_cohorts} ranks customers (top_10, top_11_50,
 * long_tail, untagged for traffic without a customer), but ranked once, by spend over the {@value #COHORT_RANK_DAYS}
 * days before {@code asOf}, so each cohort's history is the same customers throughout; a customer new since is
 * long_tail.
 */
public final class ForecastReport {

    /** Days of history read before {@code asOf}: the fit's 56 days and 56 backtest origins before them. */
    static final int HISTORY_DAYS = 120;
    static final int COHORT_RANK_DAYS = 28;
    static final int AMOUNT_SCALE = Forecaster.SCALE;
    public static final List<String> COLUMNS = List.of("scope", "period", "forecast_usd", "low_usd", "high_usd",
            "method", "actual_to_date_usd", "actual_usd", "history_days");

    private ForecastReport() {
    }

    /** One scope's forecast and the actual spend the warehouse has for it (before and after {@code asOf}). */
    public record ScopeForecast(String scope, Forecast forecast, NavigableMap<LocalDate, BigDecimal> actuals) {
    }

    /** The table, and the forecasts behind it (for the chart). {@code lastDataDay} is null on an empty warehouse. */
    public record Result(Table table, List<ScopeForecast> scopes, LocalDate asOf, LocalDate through,
                         LocalDate lastDataDay) {
    }

    public static Result run(DataSource dataSource, ForecastOptions options) {
        try (Connection connection = dataSource.getConnection()) {
            return run(connection, options);
        } catch (SQLException e) {
            throw new WarehouseException("report forecast failed: " + e.getMessage(), e);
        }
    }

    private static Result run(Connection connection, ForecastOptions options) throws SQLException {
        LocalDate lastDataDay = lastDataDay(connection);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate asOf = options.asOf().orElseGet(() -> lastDataDay == null || !lastDataDay.plusDays(1).isBefore(today)
                ? today : lastDataDay.plusDays(1));
        LocalDate through = options.horizon().lastDay(asOf);
        Map<String, List<DailySpend>> series = dailySeries(connection, options.by(), asOf.minusDays(HISTORY_DAYS), through, asOf);
        Forecaster forecaster = new Forecaster();
        List<ScopeForecast> scopes = new ArrayList<>();
        for (Map.Entry<String, List<DailySpend>> scope : series.entrySet()) {
            boolean hasHistory = scope.getValue().stream().anyMatch(d -> d.day().isBefore(asOf));
            if (!hasHistory) {
                continue; // traffic only after as-of: nothing to forecast it from
            }
            NavigableMap<LocalDate, BigDecimal> actuals = new TreeMap<>();
            scope.getValue().forEach(d -> actuals.merge(d.day(), d.costUsd(), BigDecimal::add));
            Forecast forecast = forecaster.forecast(scope.getKey(), scope.getValue(), asOf, through, options.changes());
            scopes.add(new ScopeForecast(scope.getKey(), forecast, actuals));
        }
        boolean showActual = options.asOf().isPresent();
        List<List<String>> rows = new ArrayList<>();
        for (ScopeForecast scope : scopes) {
            if (options.perDay()) {
                dayRows(scope, showActual, lastDataDay, rows);
            } else {
                monthRows(scope, asOf, through, showActual, lastDataDay, rows);
            }
        }
        String title = "forecast by " + options.by() + " as of " + asOf + " through " + through + " ("
                + options.horizon().name().toLowerCase(java.util.Locale.ROOT) + ", per "
                + (options.perDay() ? "day" : "month") + ")";
        Table table = new Table(title, COLUMNS, rows).withNotes(notes(showActual, lastDataDay));
        return new Result(table, scopes, asOf, through, lastDataDay);
    }

    private static void monthRows(ScopeForecast scope, LocalDate asOf, LocalDate through, boolean showActual,
                                  LocalDate lastDataDay, List<List<String>> rows) {
        for (YearMonth month = YearMonth.from(asOf); !month.atDay(1).isAfter(through); month = month.plusMonths(1)) {
            LocalDate first = month.atDay(1);
            LocalDate last = month.atEndOfMonth().isAfter(through) ? through : month.atEndOfMonth();
            LocalDate from = first.isBefore(asOf) ? asOf : first;
            BigDecimal spent = sum(scope.actuals(), first, asOf.minusDays(1));
            Band band = scope.forecast().total(from, last);
            BigDecimal actual = showActual && lastDataDay != null && !lastDataDay.isBefore(last)
                    ? sum(scope.actuals(), first, last) : null;
            rows.add(row(scope, month.toString(), plus(spent, band.forecastUsd()), plus(spent, band.lowUsd()),
                    plus(spent, band.highUsd()), spent, actual));
        }
    }

    private static void dayRows(ScopeForecast scope, boolean showActual, LocalDate lastDataDay, List<List<String>> rows) {
        for (ForecastDay day : scope.forecast().days()) {
            BigDecimal actual = showActual && lastDataDay != null && !lastDataDay.isBefore(day.day())
                    ? scope.actuals().getOrDefault(day.day(), BigDecimal.ZERO.setScale(12)) : null;
            rows.add(row(scope, day.day().toString(), day.forecastUsd(), day.lowUsd(), day.highUsd(), null, actual));
        }
    }

    private static List<String> row(ScopeForecast scope, String period, BigDecimal forecast, BigDecimal low,
                                    BigDecimal high, BigDecimal spent, BigDecimal actual) {
        List<String> row = new ArrayList<>(COLUMNS.size());
        row.add(scope.scope());
        row.add(period);
        row.add(text(forecast));
        row.add(text(low));
        row.add(text(high));
        row.add(scope.forecast().method());
        row.add(spent == null ? null : spent.toPlainString());
        row.add(actual == null ? null : actual.toPlainString());
        row.add(Integer.toString(scope.forecast().historyDays()));
        return row;
    }

    private static List<String> notes(boolean showActual, LocalDate lastDataDay) {
        List<String> notes = new ArrayList<>();
        notes.add("forecast_usd, low_usd, high_usd: spend already in the period (actual_to_date_usd, days before as-of) plus"
                + " the forecast of its remaining days; low..high is the 80% band from rolling-origin backtests.");
        notes.add(Forecaster.INSUFFICIENT_HISTORY + ": under " + Forecaster.MIN_HISTORY_DAYS
                + " days of history, so the forecast is the plain run rate (mean daily spend so far), with no band.");
        if (showActual) {
            notes.add("actual_usd: what the warehouse has for periods it holds data through"
                    + (lastDataDay == null ? "" : " (" + lastDataDay + ")") + ", to check the forecast against.");
        }
        return notes;
    }

    private static BigDecimal plus(BigDecimal spent, BigDecimal forecast) {
        return forecast == null ? null : spent.add(forecast).setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }

    private static String text(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    static BigDecimal sum(NavigableMap<LocalDate, BigDecimal> actuals, LocalDate from, LocalDate to) {
        BigDecimal sum = BigDecimal.ZERO.setScale(12);
        if (!to.isBefore(from)) {
            for (BigDecimal amount : actuals.subMap(from, true, to, true).values()) {
                sum = sum.add(amount);
            }
        }
        return sum;
    }

    private static LocalDate lastDataDay(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select max(day) from v_rollups_daily");
             ResultSet result = statement.executeQuery()) {
            return result.next() && result.getDate(1) != null ? result.getDate(1).toLocalDate() : null;
        }
    }

    /** Per scope, its daily requests and cost from {@code from} to {@code to}, both included. */
    static Map<String, List<DailySpend>> dailySeries(Connection connection, String by, LocalDate from, LocalDate to,
                                                     LocalDate asOf) throws SQLException {
        String sql = switch (by) {
            case "team", "feature" -> """
                    select %s as scope, day, sum(requests), sum(cost_total)
                    from v_rollups_daily
                    where day between ? and ?
                    group by 1, 2""".formatted(by);
            case "product_line" -> """
                    select coalesce(o.product_line, '-') as scope, d.day, sum(d.requests), sum(d.cost_total)
                    from v_rollups_daily d
                    left join llm_ownership o on o.key_type = 'feature' and o.key = d.feature
                    where d.day between ? and ?
                    group by 1, 2""";
            case "cohort" -> """
                    with ranked as (
                        select customer_id,
                               row_number() over (order by sum(cost_total) desc, customer_id) as customer_rank
                        from v_rollups_daily
                        where day >= ? and day < ? and customer_id <> '-'
                        group by customer_id
                    )
                    select case when d.customer_id = '-' then 'untagged'
                                when r.customer_rank <= 10 then 'top_10'
                                when r.customer_rank <= 50 then 'top_11_50'
                                else 'long_tail' end as scope,
                           d.day, sum(d.requests), sum(d.cost_total)
                    from v_rollups_daily d
                    left join ranked r on r.customer_id = d.customer_id
                    where d.day between ? and ?
                    group by 1, 2""";
            default -> throw new IllegalArgumentException("forecast: unknown --by '" + by + "'");
        };
        Map<String, List<DailySpend>> series = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            if (by.equals("cohort")) {
                statement.setObject(p++, asOf.minusDays(COHORT_RANK_DAYS));
                statement.setObject(p++, asOf);
            }
            statement.setObject(p++, from);
            statement.setObject(p, to);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Date day = result.getDate(2);
                    series.computeIfAbsent(result.getString(1), k -> new ArrayList<>())
                            .add(new DailySpend(day.toLocalDate(), result.getLong(3), result.getBigDecimal(4)));
                }
            }
        }
        return series;
    }
}
