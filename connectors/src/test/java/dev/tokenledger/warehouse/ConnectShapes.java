package dev.tokenledger.warehouse;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Connect schemas shaped like what the Avro converter makes of Rollup and PricedUsage (decimal(38,12) -> Decimal
 * scale 12, timestamp-millis -> Timestamp, nested records -> Struct, ["null", T] -> optional T): inputs for the
 * SMT unit tests and the values WarehouseSinkIT sends through JsonConverter. The converter
 * ({@code serde/ConfluentAvroConverter}) now lives in this module too, so these shapes could be derived from it
 * rather than written by hand (not done yet).
 */
final class ConnectShapes {

    static final Schema MONEY = Decimal.builder(12).parameter("connect.decimal.precision", "38").build();
    static final Schema OPTIONAL_MONEY =
            Decimal.builder(12).parameter("connect.decimal.precision", "38").optional().build();
    static final Schema INSTANT = Timestamp.SCHEMA;

    static final Schema COST = SchemaBuilder.struct().name("dev.tokenledger.avro.CostBreakdown")
            .field("uncached_input", MONEY).field("cache_read", MONEY).field("cache_write", MONEY)
            .field("output", MONEY).field("reasoning", MONEY).field("fees", MONEY).field("total", MONEY)
            .build();

    static final Schema ROLLUP = SchemaBuilder.struct().name("dev.tokenledger.avro.Rollup")
            .field("granularity", Schema.STRING_SCHEMA)
            .field("window_start", INSTANT)
            .field("window_end", INSTANT)
            .field("team", Schema.STRING_SCHEMA)
            .field("feature", Schema.STRING_SCHEMA)
            .field("customer_id", Schema.STRING_SCHEMA)
            .field("environment", Schema.STRING_SCHEMA)
            .field("provider", Schema.STRING_SCHEMA)
            .field("model", Schema.STRING_SCHEMA)
            .field("requests", Schema.INT64_SCHEMA)
            .field("successes", Schema.INT64_SCHEMA)
            .field("failures", Schema.INT64_SCHEMA)
            .field("retries", Schema.INT64_SCHEMA)
            .field("unpriced_requests", Schema.INT64_SCHEMA)
            .field("input_tokens", Schema.INT64_SCHEMA)
            .field("uncached_input_tokens", Schema.INT64_SCHEMA)
            .field("cache_read_input_tokens", Schema.INT64_SCHEMA)
            .field("cache_creation_input_tokens", Schema.INT64_SCHEMA)
            .field("output_tokens", Schema.INT64_SCHEMA)
            .field("reasoning_output_tokens", Schema.INT64_SCHEMA)
            .field("cost", COST)
            .field("retry_cost_usd", MONEY)
            .field("provider_reported_cost_usd", MONEY)
            .field("provider_reported_requests", Schema.INT64_SCHEMA)
            .field("last_event_at", INSTANT)
            .build();

    static final Schema USAGE_EVENT = SchemaBuilder.struct().name("dev.tokenledger.avro.UsageEvent")
            .field("request_id", Schema.STRING_SCHEMA)
            .field("retry_of", Schema.OPTIONAL_STRING_SCHEMA)
            .field("attempt", Schema.INT32_SCHEMA)
            .field("timestamp", INSTANT)
            .field("gateway", Schema.OPTIONAL_STRING_SCHEMA)
            .field("provider", Schema.STRING_SCHEMA)
            .field("request_model", Schema.STRING_SCHEMA)
            .field("response_model", Schema.OPTIONAL_STRING_SCHEMA)
            .field("region", Schema.OPTIONAL_STRING_SCHEMA)
            .field("service_tier", Schema.STRING_SCHEMA)
            .field("batch", Schema.BOOLEAN_SCHEMA)
            .field("input_tokens", Schema.INT64_SCHEMA)
            .field("cache_read_input_tokens", Schema.INT64_SCHEMA)
            .field("cache_creation_input_tokens", Schema.INT64_SCHEMA)
            .field("cache_creation_1h_input_tokens", Schema.INT64_SCHEMA)
            .field("output_tokens", Schema.INT64_SCHEMA)
            .field("reasoning_output_tokens", Schema.INT64_SCHEMA)
            .field("web_search_calls", Schema.INT32_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("latency_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .field("provider_reported_cost_usd", OPTIONAL_MONEY)
            .field("team", Schema.OPTIONAL_STRING_SCHEMA)
            .field("feature", Schema.OPTIONAL_STRING_SCHEMA)
            .field("environment", Schema.OPTIONAL_STRING_SCHEMA)
            .field("customer_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("workload", Schema.OPTIONAL_STRING_SCHEMA)
            .field("api_key_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("agent_run_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("task_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("conversation_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("attributes", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build())
            .build();

    static final Schema PRICE_REF = SchemaBuilder.struct().name("dev.tokenledger.avro.PriceRef").optional()
            .field("provider", Schema.STRING_SCHEMA)
            .field("model", Schema.STRING_SCHEMA)
            .field("region", Schema.OPTIONAL_STRING_SCHEMA)
            .field("effective_from", INSTANT)
            .field("tier", Schema.STRING_SCHEMA)
            .field("source", Schema.STRING_SCHEMA)
            .build();

    static final Schema ATTRIBUTION = SchemaBuilder.struct().name("dev.tokenledger.avro.Attribution")
            .field("team", Schema.STRING_SCHEMA)
            .field("feature", Schema.STRING_SCHEMA)
            .field("cost_center", Schema.OPTIONAL_STRING_SCHEMA)
            .field("product_line", Schema.OPTIONAL_STRING_SCHEMA)
            .field("owner", Schema.OPTIONAL_STRING_SCHEMA)
            .field("method", Schema.STRING_SCHEMA)
            .build();

    static final Schema PRICED_USAGE = SchemaBuilder.struct().name("dev.tokenledger.avro.PricedUsage")
            .field("event", USAGE_EVENT)
            .field("billed_model", Schema.STRING_SCHEMA)
            .field("cost", COST)
            .field("price", PRICE_REF)
            .field("flags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("attribution", ATTRIBUTION)
            .field("priced_at", INSTANT)
            .build();

    static final Schema OWNERSHIP = SchemaBuilder.struct().name("dev.tokenledger.avro.Ownership")
            .field("key_type", Schema.STRING_SCHEMA)
            .field("key", Schema.STRING_SCHEMA)
            .field("feature", Schema.STRING_SCHEMA)
            .field("team", Schema.STRING_SCHEMA)
            .field("cost_center", Schema.OPTIONAL_STRING_SCHEMA)
            .field("product_line", Schema.OPTIONAL_STRING_SCHEMA)
            .field("owner", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static final Schema BUDGET = SchemaBuilder.struct().name("dev.tokenledger.avro.Budget")
            .field("scope_type", Schema.STRING_SCHEMA)
            .field("scope_id", Schema.STRING_SCHEMA)
            .field("period", Schema.STRING_SCHEMA)
            .field("amount_usd", MONEY)
            .field("soft_pct", Schema.INT32_SCHEMA)
            .field("hard_pct", Schema.INT32_SCHEMA)
            .field("action", Schema.STRING_SCHEMA)
            .field("owner", Schema.STRING_SCHEMA)
            .field("updated_at", INSTANT)
            .build();

    static Struct ownership(String feature, String team, String owner) {
        return new Struct(OWNERSHIP).put("key_type", "feature").put("key", feature).put("feature", feature)
                .put("team", team).put("cost_center", "cc-42").put("owner", owner);
    }

    static Struct budget(String team, String amount, int softPct, int hardPct, String action) {
        return new Struct(BUDGET).put("scope_type", "team").put("scope_id", team).put("period", "monthly")
                .put("amount_usd", money(amount)).put("soft_pct", softPct).put("hard_pct", hardPct)
                .put("action", action).put("owner", team + "-lead")
                .put("updated_at", Date.from(Instant.parse("2026-03-01T08:00:00Z")));
    }

    private ConnectShapes() {
    }

    static BigDecimal money(String amount) {
        return new BigDecimal(amount).setScale(12);
    }

    static Struct cost(String output, String fees) {
        BigDecimal outputAmount = money(output);
        BigDecimal feesAmount = money(fees);
        return new Struct(COST)
                .put("uncached_input", money("0")).put("cache_read", money("0")).put("cache_write", money("0"))
                .put("output", outputAmount).put("reasoning", money("0")).put("fees", feesAmount)
                .put("total", outputAmount.add(feesAmount));
    }

    /** A rollup and its record key, built as the Streams app builds it. */
    static Map.Entry<String, Struct> rollup(String granularity, String windowStart, String team, String feature,
                                            long requests, String outputCost) {
        Instant start = Instant.parse(windowStart);
        Instant end = start.plusSeconds(granularity.equals("daily") ? 86_400 : 3_600);
        Struct value = new Struct(ROLLUP)
                .put("granularity", granularity)
                .put("window_start", Date.from(start))
                .put("window_end", Date.from(end))
                .put("team", team).put("feature", feature).put("customer_id", "-").put("environment", "production")
                .put("provider", "openai").put("model", "gpt-x")
                .put("requests", requests).put("successes", requests).put("failures", 0L).put("retries", 0L)
                .put("unpriced_requests", 0L).put("input_tokens", 1000L).put("uncached_input_tokens", 1000L)
                .put("cache_read_input_tokens", 0L).put("cache_creation_input_tokens", 0L)
                .put("output_tokens", 100L).put("reasoning_output_tokens", 0L)
                .put("cost", cost(outputCost, "0"))
                .put("retry_cost_usd", money("0"))
                .put("provider_reported_cost_usd", money("0"))
                .put("provider_reported_requests", 0L)
                .put("last_event_at", Date.from(end.minusMillis(1)));
        String key = String.join("|", granularity, windowStart, team, feature, "-", "production", "openai", "gpt-x");
        return Map.entry(key, value);
    }

    static Struct pricedUsage(String requestId, String time, String outputCost, String reported, List<String> flags,
                              boolean priced) {
        Instant at = Instant.parse(time);
        Struct event = new Struct(USAGE_EVENT)
                .put("request_id", requestId).put("attempt", 1).put("timestamp", Date.from(at))
                .put("provider", "openai").put("request_model", "gpt-x").put("response_model", "gpt-x-2026")
                .put("service_tier", "standard").put("batch", false)
                .put("input_tokens", 1200L).put("cache_read_input_tokens", 200L).put("cache_creation_input_tokens", 0L)
                .put("cache_creation_1h_input_tokens", 0L).put("output_tokens", 300L).put("reasoning_output_tokens", 0L)
                .put("web_search_calls", 0).put("status", "success").put("latency_ms", 840L)
                .put("provider_reported_cost_usd", reported == null ? null : money(reported))
                .put("team", "search").put("feature", "answer").put("environment", "production")
                .put("attributes", Map.of("gateway_region", "eu"));
        Struct price = priced ? new Struct(PRICE_REF)
                .put("provider", "openai").put("model", "gpt-x").put("effective_from", Date.from(Instant.parse("2026-01-01T00:00:00Z")))
                .put("tier", "standard").put("source", "native") : null;
        Struct attribution = new Struct(ATTRIBUTION)
                .put("team", "search").put("feature", "answer").put("owner", "ann").put("method", "tagged");
        return new Struct(PRICED_USAGE)
                .put("event", event).put("billed_model", "gpt-x-2026").put("cost", cost(outputCost, "0"))
                .put("price", price).put("flags", flags).put("attribution", attribution)
                .put("priced_at", Date.from(at.plusMillis(5)));
    }
}
