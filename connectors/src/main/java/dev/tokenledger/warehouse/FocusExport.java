package dev.tokenledger.warehouse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The month's derived cost as a FOCUS 1.2 cost and usage CSV, for the finance tools that read FOCUS (docs/focus.md).
 * One row per daily rollup and token class with tokens or cost: BilledCost is that class's exact 12-place cost, so
 * the rows sum to the month's daily rollups to the last digit. List, contracted, effective and billed cost are the
 * same amount: tokenledger prices every call with one price book and knows no discount or commitment beside it.
 * A rollup carries no region, no fee-call count and no cost center; the month's priced calls of the same day and
 * dimensions give them (a region or cost center only when all of those calls agree on it; else the ownership
 * registry's cost center and product line of the feature).
 */
public final class FocusExport {

    /** FOCUS columns (the specification's names, in its alphabetical order), then tokenledger's own x_ columns. */
    public static final List<String> COLUMNS = List.of("BilledCost", "BillingAccountId", "BillingAccountName",
            "BillingAccountType", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory",
            "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
            "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost",
            "ListUnitPrice", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId",
            "ServiceCategory", "ServiceName", "ServiceSubcategory", "SkuId", "SkuMeter", "Tags",
            "x_Provider", "x_Model", "x_TokenClass", "x_Team", "x_Feature", "x_CustomerId", "x_Environment",
            "x_CostCenter", "x_ProductLine", "x_Requests");

    static final String SERVICE_CATEGORY = "AI and Machine Learning";
    static final String SERVICE_SUBCATEGORY = "Generative AI";
    static final String TOKENS = "Tokens";
    /** FOCUS unit format: a unit quantity is a positive integer before the plural unit ("1000 Tokens"). */
    static final String MILLION_TOKENS = "1000000 Tokens";
    static final String REQUESTS = "Requests";
    private static final int MONEY_SCALE = 12;
    private static final int FETCH_SIZE = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A charge class of a rollup: its name (x_TokenClass), the words of its meter, its quantity column (null: the
     * web-search calls of the priced events) and its cost column. Output is priced without its reasoning tokens.
     */
    enum ChargeLine {
        UNCACHED_INPUT("uncached_input", "input", "uncached_input_tokens", "cost_uncached_input"),
        CACHE_READ("cache_read", "cache read", "cache_read_input_tokens", "cost_cache_read"),
        CACHE_WRITE("cache_write", "cache write", "cache_creation_input_tokens", "cost_cache_write"),
        OUTPUT("output", "output", "output_tokens - r.reasoning_output_tokens", "cost_output"),
        REASONING("reasoning", "reasoning", "reasoning_output_tokens", "cost_reasoning"),
        FEES("fees", "web search", null, "cost_fees");

        final String name;
        final String meter;
        final String quantitySql;
        final String costColumn;

        ChargeLine(String name, String meter, String quantitySql, String costColumn) {
            this.name = name;
            this.meter = meter;
            this.quantitySql = quantitySql;
            this.costColumn = costColumn;
        }

        boolean tokens() {
            return this != FEES;
        }
    }

    /** What an export wrote: the rows and the sum of their BilledCost. */
    public record Summary(YearMonth month, long rows, BigDecimal billedCostUsd) {
    }

    private FocusExport() {
    }

    /** Writes the month's CSV to {@code out} (left open) and says what it wrote. */
    public static Summary write(DataSource dataSource, YearMonth month, Writer out) {
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        CsvMapper mapper = new CsvMapper();
        mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        Instant periodStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant periodEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long rows = 0;
        BigDecimal total = BigDecimal.ZERO.setScale(MONEY_SCALE);
        try (Connection connection = dataSource.getConnection();
             SequenceWriter csv = mapper.writer(schema.build().withHeader().withLineSeparator("\r\n")).writeValues(out)) {
            // A cursor, not the whole month in memory: PostgreSQL streams only inside a transaction.
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(SQL)) {
                statement.setFetchSize(FETCH_SIZE);
                statement.setTimestamp(1, Timestamp.from(periodStart));
                statement.setTimestamp(2, Timestamp.from(periodEnd));
                statement.setTimestamp(3, Timestamp.from(periodStart));
                statement.setTimestamp(4, Timestamp.from(periodEnd));
                try (ResultSet r = statement.executeQuery()) {
                    while (r.next()) {
                        boolean first = true;
                        for (ChargeLine line : ChargeLine.values()) {
                            BigDecimal cost = r.getBigDecimal(line.costColumn);
                            Long quantity = quantity(r, line);
                            if (cost.signum() == 0 && (quantity == null || quantity == 0)) {
                                continue;
                            }
                            csv.write(row(r, line, cost, quantity, first, periodStart, periodEnd));
                            first = false;
                            rows++;
                            total = total.add(cost);
                        }
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new WarehouseException("FOCUS export of " + month + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the FOCUS export of " + month, e);
        }
        return new Summary(month, rows, total);
    }

    private static Long quantity(ResultSet r, ChargeLine line) throws SQLException {
        long value = r.getLong("q_" + line.name);
        return r.wasNull() ? null : value;
    }

    private static List<String> row(ResultSet r, ChargeLine line, BigDecimal cost, Long quantity, boolean first,
                                    Instant periodStart, Instant periodEnd) throws SQLException {
        String provider = r.getString("provider");
        String model = r.getString("model");
        LocalDate day = r.getObject("day", LocalDate.class);
        String providerName = FocusNames.provider(provider);
        String money = cost.setScale(MONEY_SCALE).toPlainString();
        // Tokens are priced per million, as the providers list them; web-search calls per call.
        BigDecimal pricingQuantity = quantity == null ? null
                : line.tokens() ? BigDecimal.valueOf(quantity).movePointLeft(6) : BigDecimal.valueOf(quantity);
        String unitPrice = pricingQuantity == null ? null
                : pricingQuantity.signum() == 0 ? "0" : averageUnitPrice(cost, pricingQuantity);
        String[] cells = new String[COLUMNS.size()];
        set(cells, "BilledCost", money);
        set(cells, "BillingAccountId", provider);
        set(cells, "BillingAccountName", providerName + " (as derived by tokenledger)");
        set(cells, "BillingAccountType", "LLM Provider Account");
        set(cells, "BillingCurrency", "USD");
        set(cells, "BillingPeriodEnd", periodEnd.toString());
        set(cells, "BillingPeriodStart", periodStart.toString());
        set(cells, "ChargeCategory", "Usage");
        set(cells, "ChargeClass", null);
        set(cells, "ChargeDescription", model + " " + line.meter + (line.tokens() ? " tokens" : " calls")
                + " on " + providerName + ", priced by tokenledger");
        set(cells, "ChargeFrequency", "Usage-Based");
        set(cells, "ChargePeriodEnd", day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        set(cells, "ChargePeriodStart", day.atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        set(cells, "ConsumedQuantity", quantity == null ? null : Long.toString(quantity));
        set(cells, "ConsumedUnit", quantity == null ? null : line.tokens() ? TOKENS : REQUESTS);
        set(cells, "ContractedCost", money);
        set(cells, "EffectiveCost", money);
        set(cells, "InvoiceIssuerName", providerName);
        set(cells, "ListCost", money);
        set(cells, "ListUnitPrice", unitPrice);
        set(cells, "PricingQuantity", pricingQuantity == null ? null : pricingQuantity.toPlainString());
        set(cells, "PricingUnit", pricingQuantity == null ? null : line.tokens() ? MILLION_TOKENS : REQUESTS);
        set(cells, "ProviderName", providerName);
        set(cells, "PublisherName", FocusNames.publisher(provider, model));
        set(cells, "RegionId", r.getString("region"));
        set(cells, "ServiceCategory", SERVICE_CATEGORY);
        set(cells, "ServiceName", FocusNames.service(provider));
        set(cells, "ServiceSubcategory", SERVICE_SUBCATEGORY);
        set(cells, "SkuId", provider + "/" + model + "/" + line.name);
        set(cells, "SkuMeter", model + " / " + line.meter);
        set(cells, "Tags", tags(r));
        set(cells, "x_Provider", provider);
        set(cells, "x_Model", model);
        set(cells, "x_TokenClass", line.name);
        set(cells, "x_Team", r.getString("team"));
        set(cells, "x_Feature", r.getString("feature"));
        set(cells, "x_CustomerId", r.getString("customer_id"));
        set(cells, "x_Environment", r.getString("environment"));
        set(cells, "x_CostCenter", r.getString("cost_center"));
        set(cells, "x_ProductLine", r.getString("product_line"));
        // The rollup's calls on its first line only, so that the column sums to the month's calls.
        set(cells, "x_Requests", first ? Long.toString(r.getLong("requests")) : "0");
        return Arrays.asList(cells);
    }

    /**
     * Cost per pricing unit: the price itself when one price applies to the line (the usual case), else the line's
     * average price, to 12 places (a day's rollup can mix batch and standard calls, or a price change).
     */
    static String averageUnitPrice(BigDecimal cost, BigDecimal pricingQuantity) {
        return cost.divide(pricingQuantity, MONEY_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** team, feature, customer and environment; a dimension the call did not carry ({@code -}) is left out. */
    private static String tags(ResultSet r) throws SQLException {
        ObjectNode tags = JSON.createObjectNode();
        for (String[] tag : new String[][] {{"team", "team"}, {"feature", "feature"}, {"customer", "customer_id"},
                {"environment", "environment"}}) {
            String value = r.getString(tag[1]);
            if (value != null && !value.equals("-")) {
                tags.put(tag[0], value);
            }
        }
        return tags.toString();
    }

    private static void set(String[] cells, String column, String value) {
        cells[COLUMNS.indexOf(column)] = value;
    }

    /**
     * The month's daily rollups with, per rollup key, what the priced calls of that day add: web-search calls, and
     * the region, cost center and product line when every call agrees on one. The rollup key is the attribution's
     * team and feature, the customer and environment ({@code -} when absent), the provider and the billed model.
     */
    private static final String SQL;

    static {
        StringBuilder quantities = new StringBuilder();
        for (ChargeLine line : ChargeLine.values()) {
            quantities.append(",\n       ").append(line.quantitySql == null ? "p.web_search_calls" : "r." + line.quantitySql)
                    .append(" as q_").append(line.name);
        }
        SQL = """
                with priced as (
                    select (event_timestamp at time zone 'UTC')::date                  as day,
                           attribution_team                                             as team,
                           attribution_feature                                          as feature,
                           coalesce(event_customer_id, '-')                             as customer_id,
                           coalesce(event_environment, '-')                             as environment,
                           event_provider                                               as provider,
                           billed_model                                                 as model,
                           sum(event_web_search_calls)                                  as web_search_calls,
                           case when count(event_region) = count(*) and count(distinct event_region) = 1
                                then min(event_region) end                              as region,
                           case when count(attribution_cost_center) = count(*) and count(distinct attribution_cost_center) = 1
                                then min(attribution_cost_center) end                   as cost_center,
                           case when count(attribution_product_line) = count(*) and count(distinct attribution_product_line) = 1
                                then min(attribution_product_line) end                  as product_line
                    from llm_usage_priced
                    where event_timestamp >= ? and event_timestamp < ?
                    group by 1, 2, 3, 4, 5, 6, 7
                )
                select (r.window_start at time zone 'UTC')::date as day, r.team, r.feature, r.customer_id, r.environment,
                       r.provider, r.model, r.requests,
                       r.cost_uncached_input, r.cost_cache_read, r.cost_cache_write, r.cost_output, r.cost_reasoning,
                       r.cost_fees, p.region,
                       coalesce(p.cost_center, o.cost_center)   as cost_center,
                       coalesce(p.product_line, o.product_line) as product_line%s
                from llm_rollups r
                left join priced p
                       on p.day = (r.window_start at time zone 'UTC')::date and p.team = r.team and p.feature = r.feature
                      and p.customer_id = r.customer_id and p.environment = r.environment and p.provider = r.provider
                      and p.model = r.model
                left join llm_ownership o on o.key_type = 'feature' and o.key = r.feature
                where r.granularity = 'daily' and r.window_start >= ? and r.window_start < ?
                order by r.window_start, r.provider, r.model, r.team, r.feature, r.customer_id, r.environment"""
                .formatted(quantities);
    }
}
