-- The monthly close: what the reconcile stage publishes, and the views the reconciliation report and the close pack read.

-- llm.reconciliation.v1 (compacted): derived vs invoiced per (provider, day, model, charge class); the latest record
-- replaces the row (a late event or a corrected invoice re-publishes it).
create table llm_reconciliation (
    provider          text           not null,
    month             text           not null,
    day               date           not null,
    model             text           not null,
    billed_models     text           not null,
    charge_class      text           not null,
    derived_usd       numeric(38,12) not null,
    invoiced_usd      numeric(38,12) not null,
    variance_usd      numeric(38,12) not null,
    variance_pct      numeric(38,12),
    within_tolerance  boolean        not null,
    cause             text           not null,
    explained_usd     numeric(38,12) not null,
    evidence          text           not null,
    derived_requests  bigint         not null,
    derived_tokens    bigint         not null,
    invoice_lines     integer        not null,
    primary key (provider, day, model, charge_class)
);
create index llm_reconciliation_month on llm_reconciliation (month, provider);
comment on table llm_reconciliation is
    'Sink of llm.reconciliation.v1: derived cost vs the provider invoice per day, model and charge class, with the cause of the variance.';

-- llm.alerts.reconciliation.v1: a provider's month beyond (or back within) its tolerance; one row per month, its latest state.
create table llm_alerts_reconciliation (
    provider         text           not null,
    month            text           not null,
    state            text           not null,
    derived_usd      numeric(38,12) not null,
    invoiced_usd     numeric(38,12) not null,
    variance_usd     numeric(38,12) not null,
    variance_pct     numeric(38,12),
    tolerance_usd    numeric(38,12) not null,
    explained_usd    numeric(38,12) not null,
    unexplained_usd  numeric(38,12) not null,
    headline         text           not null,
    last_day         date           not null,
    primary key (provider, month)
);

-- Per (provider, month, model, charge class, cause): the days a cause explains, summed; evidence of its first day.
create view v_reconciliation_causes as
select provider, month, model, charge_class, cause,
       count(*)                                  as days,
       sum(derived_usd)                          as derived_usd,
       sum(invoiced_usd)                         as invoiced_usd,
       sum(variance_usd)                         as variance_usd,
       sum(explained_usd)                        as explained_usd,
       (array_agg(evidence order by day))[1]     as evidence,
       min(day)                                  as first_day
from llm_reconciliation
group by provider, month, model, charge_class, cause;

-- Per (provider, month, model, charge class): both sides and the cause that explains the most of it (by size; on a tie
-- the cause named first). within_tolerance is the cause only when nothing else explains any of it.
create view v_reconciliation_monthly as
with cells as (
    select provider, month, model, charge_class,
           sum(derived_usd) as derived_usd, sum(invoiced_usd) as invoiced_usd, sum(variance_usd) as variance_usd,
           sum(explained_usd) as explained_usd
    from llm_reconciliation
    group by provider, month, model, charge_class
), ranked as (
    select c.*, row_number() over (partition by provider, month, model, charge_class
                                   order by (cause = 'within_tolerance'), abs(variance_usd) desc, cause) as pick
    from v_reconciliation_causes c
)
select cells.provider, cells.month, cells.model, cells.charge_class, cells.derived_usd, cells.invoiced_usd,
       cells.variance_usd,
       case when cells.invoiced_usd = 0 then null
            else round(100 * cells.variance_usd / cells.invoiced_usd, 2) end as variance_pct,
       case when abs(r.variance_usd) = 0 and r.cause <> 'unexplained' then 'within_tolerance' else r.cause end as cause,
       cells.explained_usd,
       cells.variance_usd - cells.explained_usd as unexplained_usd,
       r.evidence
from cells
join ranked r using (provider, month, model, charge_class)
where r.pick = 1;

-- Per (provider, month): the close's totals and each cause's dollars.
create view v_reconciliation_close as
select provider, month,
       sum(derived_usd)                                              as derived_usd,
       sum(invoiced_usd)                                             as invoiced_usd,
       sum(variance_usd)                                             as variance_usd,
       case when sum(invoiced_usd) = 0 then null
            else round(100 * sum(variance_usd) / sum(invoiced_usd), 2) end as variance_pct,
       sum(explained_usd)                                            as explained_usd,
       sum(variance_usd) - sum(explained_usd)                        as unexplained_usd,
       min(day)                                                      as first_day,
       max(day)                                                      as last_day
from llm_reconciliation
group by provider, month;
