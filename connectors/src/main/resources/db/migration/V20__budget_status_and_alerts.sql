-- What the govern stage tells gateways and alerting systems, so the budget report can show it next to the spend.

-- llm.budget-status.v1 (compacted): the latest status per budget scope and period; the latest record replaces the row.
-- A budget's status carries the budget's own scope id (for global budgets: the id the budget names).
create table llm_budget_status (
    scope_type     text           not null,
    scope_id       text           not null,
    period         text           not null,
    period_start   timestamptz    not null,
    period_end     timestamptz    not null,
    spend          numeric(38,12) not null,
    budget         numeric(38,12) not null,
    soft_threshold numeric(38,12) not null,
    hard_threshold numeric(38,12) not null,
    percent        numeric(38,2),
    state          text           not null,
    action         text           not null,
    projection     numeric(38,12),
    owner          text,
    last_event_at  timestamptz,
    updated_at     timestamptz    not null,
    primary key (scope_type, scope_id, period)
);
comment on table llm_budget_status is
    'Sink of llm.budget-status.v1: what the gateway was last told per budget (state ok/soft/hard, action to apply).';

-- llm.alerts.budget.v1: one row per alert (soft, hard, forecast, request_ceiling, agent_run_ceiling), keyed by its
-- deterministic alert_id, so a replayed alert lands on the same row. top_contributors (a list of records) is not
-- sinked: summary names them.
create table llm_alerts_budget (
    alert_id              text           not null primary key,
    kind                  text           not null,
    scope_type            text           not null,
    scope_id              text           not null,
    period                text,
    period_start          timestamptz,
    spend                 numeric(38,12) not null,
    budget                numeric(38,12),
    threshold             numeric(38,12),
    threshold_pct         integer,
    percent               numeric(38,2),
    projection            numeric(38,12),
    action                text           not null,
    owner                 text,
    contributor_dimension text,
    request_id            text,
    agent_run_id          text,
    feature               text,
    calls                 bigint,
    call_limit            bigint,
    summary               text           not null,
    event_time            timestamptz    not null,
    raised_at             timestamptz    not null
);
create index llm_alerts_budget_scope on llm_alerts_budget (scope_type, scope_id, period_start);
