-- What the anomaly stage found (docs/anomalies.md), so a person can read it beside the spend.

-- llm.alerts.anomaly.v1: one row per anomaly, keyed by its deterministic anomaly_id (kind, scope, onset); every state
-- (open, updated, acknowledged, resolved) upserts the same row, so the row is the latest state. The drivers are one
-- exact column each (the AnomalyColumns SMT) and sum to impact_usd to the last digit; null when the rule has none.
create table llm_alerts_anomaly (
    anomaly_id      text             not null primary key,
    kind            text             not null,
    state           text             not null,
    scope_type      text             not null,
    scope_id        text             not null,
    feature         text,
    model           text,
    window_start    timestamptz      not null,
    window_end      timestamptz      not null,
    detected_at     timestamptz      not null,
    actual          double precision not null,
    expected        double precision not null,
    unit            text             not null,
    impact_usd      numeric(38,12)   not null,
    score           double precision,
    severity        text             not null,
    volume_usd      numeric(38,12),
    model_mix_usd   numeric(38,12),
    token_shape_usd numeric(38,12),
    rate_usd        numeric(38,12),
    drivers_detail  text,
    sources         text,
    explanation     text             not null
);
create index llm_alerts_anomaly_detected on llm_alerts_anomaly (detected_at);
comment on table llm_alerts_anomaly is
    'Sink of llm.alerts.anomaly.v1: the latest state of each cost anomaly, with its drivers in exact USD.';

-- The anomalies of a month (by detected_at, UTC), newest first within a kind, with the drivers' sum beside the impact
-- (they are equal; drivers_sum is null for rules without drivers). Read by `tokenledger report anomalies`.
create view v_anomalies as
select date_trunc('month', detected_at at time zone 'UTC')::date as month,
       detected_at, kind, scope_type, scope_id, feature, model, window_start, window_end,
       actual, expected, unit, impact_usd, score, severity, state,
       volume_usd, model_mix_usd, token_shape_usd, rate_usd,
       case when volume_usd is null then null
            else volume_usd + coalesce(model_mix_usd, 0) + coalesce(token_shape_usd, 0) + coalesce(rate_usd, 0) end as drivers_sum,
       drivers_detail, sources, explanation, anomaly_id
from llm_alerts_anomaly;
comment on view v_anomalies is
    'Cost anomalies by month of detection, with the exact drivers and their sum (equal to impact_usd).';
