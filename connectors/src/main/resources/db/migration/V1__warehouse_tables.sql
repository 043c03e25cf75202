-- The tables the Kafka Connect JDBC sink upserts into, and the reference data the views join.
-- Money is numeric(38,12): the precision and scale of the Avro decimals, so nothing is rounded on the way in.
-- Instants are timestamptz. Column names are the Avro field names after the Connect Flatten SMT
-- (delimiter "_"): the sink runs with schema.evolution=none, so these migrations own every column.
-- No CHECK constraints on sinked tables: the JDBC sink cannot send a rejected row to the DLQ, a violation
-- would stop the whole connector.

-- llm.rollups.v1: one row per (granularity, window, dimensions); the latest record per key replaces the row.
create table llm_rollups (
    granularity                 text           not null,
    window_start                timestamptz    not null,
    window_end                  timestamptz    not null,
    team                        text           not null,
    feature                     text           not null,
    customer_id                 text           not null,
    environment                 text           not null,
    provider                    text           not null,
    model                       text           not null,
    requests                    bigint         not null,
    successes                   bigint         not null,
    failures                    bigint         not null,
    retries                     bigint         not null,
    unpriced_requests           bigint         not null,
    input_tokens                bigint         not null,
    uncached_input_tokens       bigint         not null,
    cache_read_input_tokens     bigint         not null,
    cache_creation_input_tokens bigint         not null,
    output_tokens               bigint         not null,
    reasoning_output_tokens     bigint         not null,
    cost_uncached_input         numeric(38,12) not null,
    cost_cache_read             numeric(38,12) not null,
    cost_cache_write            numeric(38,12) not null,
    cost_output                 numeric(38,12) not null,
    cost_reasoning              numeric(38,12) not null,
    cost_fees                   numeric(38,12) not null,
    cost_total                  numeric(38,12) not null,
    retry_cost_usd              numeric(38,12) not null,
    provider_reported_cost_usd  numeric(38,12) not null,
    provider_reported_requests  bigint         not null,
    last_event_at               timestamptz    not null,
    primary key (granularity, window_start, team, feature, customer_id, environment, provider, model)
);
comment on table llm_rollups is
    'Sink of llm.rollups.v1. Hourly AND daily windows live here: filter on granularity, or every amount counts twice.';

-- Month-level questions read only the daily rows.
create index llm_rollups_daily_window on llm_rollups (window_start) where granularity = 'daily';

-- llm.usage.priced.v1, flattened: event_*, cost_*, price_*, attribution_*; one row per request_id.
-- event_request_id (equal to the key) is renamed request_id; event_attributes (a free map) is dropped by the sink.
create table llm_usage_priced (
    request_id                           text           not null primary key,
    event_retry_of                       text,
    event_attempt                        integer        not null,
    event_timestamp                      timestamptz    not null,
    event_gateway                        text,
    event_provider                       text           not null,
    event_request_model                  text           not null,
    event_response_model                 text,
    event_region                         text,
    event_service_tier                   text           not null,
    event_batch                          boolean        not null,
    event_input_tokens                   bigint         not null,
    event_cache_read_input_tokens        bigint         not null,
    event_cache_creation_input_tokens    bigint         not null,
    event_cache_creation_1h_input_tokens bigint         not null,
    event_output_tokens                  bigint         not null,
    event_reasoning_output_tokens        bigint         not null,
    event_web_search_calls               integer        not null,
    event_status                         text           not null,
    event_latency_ms                     bigint,
    event_provider_reported_cost_usd     numeric(38,12),
    event_team                           text,
    event_feature                        text,
    event_environment                    text,
    event_customer_id                    text,
    event_workload                       text,
    event_api_key_id                     text,
    event_agent_run_id                   text,
    event_task_id                        text,
    event_conversation_id                text,
    billed_model                         text           not null,
    cost_uncached_input                  numeric(38,12) not null,
    cost_cache_read                      numeric(38,12) not null,
    cost_cache_write                     numeric(38,12) not null,
    cost_output                          numeric(38,12) not null,
    cost_reasoning                       numeric(38,12) not null,
    cost_fees                            numeric(38,12) not null,
    cost_total                           numeric(38,12) not null,
    price_provider                       text,
    price_model                          text,
    price_region                         text,
    price_effective_from                 timestamptz,
    price_tier                           text,
    price_source                         text,
    flags                                text[]         not null,
    attribution_team                     text           not null,
    attribution_feature                  text           not null,
    attribution_cost_center              text,
    attribution_product_line             text,
    attribution_owner                    text,
    attribution_method                   text           not null,
    priced_at                            timestamptz    not null
);
create index llm_usage_priced_event_time on llm_usage_priced (event_timestamp);

-- llm.ownership.v1 (compacted): who owns a feature or an api key.
create table llm_ownership (
    key_type     text not null,
    key          text not null,
    feature      text not null,
    team         text not null,
    cost_center  text,
    product_line text,
    owner        text,
    primary key (key_type, key)
);

-- llm.budgets.v1 (compacted): one budget per scope and period.
create table llm_budgets (
    scope_type text           not null,
    scope_id   text           not null,
    period     text           not null,
    amount_usd numeric(38,12) not null,
    soft_pct   integer        not null,
    hard_pct   integer        not null,
    action     text           not null,
    owner      text           not null,
    updated_at timestamptz    not null,
    primary key (scope_type, scope_id, period)
);

-- Revenue per feature and month, loaded by finance (RevenueCsv), so margin can be computed next to cost.
create table feature_revenue (
    feature     text           not null,
    month       date           not null check (month = date_trunc('month', month)::date),
    revenue_usd numeric(38,12) not null,
    primary key (feature, month)
);
