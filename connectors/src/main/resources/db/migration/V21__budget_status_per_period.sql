-- llm.budget-status.v1 is keyed per period of spend (scope_type:scope_id:period:period_start): keep one row per
-- period too, so the status of a new month never overwrites what the gateway was told about the last one.
alter table llm_budget_status drop constraint llm_budget_status_pkey;
alter table llm_budget_status add primary key (scope_type, scope_id, period, period_start);
comment on table llm_budget_status is
    'Sink of llm.budget-status.v1: what the gateway was last told per budget and period (state ok/soft/hard, action to apply).';
