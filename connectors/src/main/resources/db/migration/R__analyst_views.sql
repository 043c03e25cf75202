-- The views that answer the five questions (docs/architecture.md). Repeatable migration: Flyway re-runs it whenever
-- this file changes, so every view is dropped and created again from its current definition.
-- Months and days are UTC calendar periods, as the Streams app windows them.
-- Amount columns stay exact numeric; only percentages are rounded (4 decimals, half away from zero).

drop view if exists v_unallocated_monthly, v_unallocated, v_cost_variance_reported, v_feature_margin,
    v_budget_position, v_spend_customer_cohorts, v_spend_monthly, v_rollups_daily cascade;

-- Daily windows only: llm_rollups holds hourly and daily rows for the same traffic, summing both double counts.
create view v_rollups_daily as
select r.*,
       (r.window_start at time zone 'UTC')::date                    as day,
       date_trunc('month', r.window_start at time zone 'UTC')::date as month
from llm_rollups r
where r.granularity = 'daily';

-- Q1: spend per month by team, by feature and by customer, each key's rank and share of the month.
create view v_spend_monthly as
with by_dimension as (
    select month, 'team' as dimension, team as key, sum(requests) as requests, sum(cost_total) as spend_usd
    from v_rollups_daily group by month, team
    union all
    select month, 'feature', feature, sum(requests), sum(cost_total)
    from v_rollups_daily group by month, feature
    union all
    select month, 'customer', customer_id, sum(requests), sum(cost_total)
    from v_rollups_daily group by month, customer_id
)
select month,
       dimension,
       key,
       row_number() over (partition by month, dimension order by spend_usd desc, key) as rank,
       requests,
       spend_usd,
       sum(spend_usd) over (partition by month, dimension)                            as month_total_usd,
       round(100 * spend_usd / nullif(sum(spend_usd) over (partition by month, dimension), 0), 4) as share_pct
from by_dimension;

-- Q1: customers grouped into cohorts by their rank in the month: top_10, top_11_50, long_tail;
-- traffic without a customer ('-') is its own cohort, untagged.
create view v_spend_customer_cohorts as
with customers as (
    select month, customer_id, sum(requests) as requests, sum(cost_total) as spend_usd
    from v_rollups_daily group by month, customer_id
), ranked as (
    select c.*,
           row_number() over (partition by month, customer_id = '-' order by spend_usd desc, customer_id) as customer_rank
    from customers c
), cohorts as (
    select month,
           case when customer_id = '-' then 'untagged'
                when customer_rank <= 10 then 'top_10'
                when customer_rank <= 50 then 'top_11_50'
                else 'long_tail' end as cohort,
           customer_id, requests, spend_usd
    from ranked
)
select month,
       cohort,
       case cohort when 'top_10' then 1 when 'top_11_50' then 2 when 'long_tail' then 3 else 4 end as cohort_order,
       count(*)       as customers,
       sum(requests)  as requests,
       sum(spend_usd) as spend_usd,
       round(100 * sum(spend_usd) / nullif(sum(sum(spend_usd)) over (partition by month), 0), 4) as share_pct
from cohorts
group by month, cohort;

-- Q2: every budget against its spend, per period (UTC month for monthly budgets, UTC day for daily ones).
-- A threshold is reached at exactly its percentage: spend >= amount * pct / 100. gateway_action is what the
-- budget tells the gateway to do in that state; told_state / told_action / told_spend_usd / told_at are what
-- llm.budget-status.v1 last told the gateway for that period (null when it has told nothing for it).
-- Workload budgets are measured on priced events: rollups do not carry the workload tag.
create view v_budget_position as
with spend as (
    select d.day, d.month, s.scope_type, s.scope_id, d.cost_total
    from v_rollups_daily d
    cross join lateral (values ('team', d.team), ('feature', d.feature), ('customer', d.customer_id),
                               ('environment', d.environment), ('global', null)) as s(scope_type, scope_id)
    union all
    select (p.event_timestamp at time zone 'UTC')::date,
           date_trunc('month', p.event_timestamp at time zone 'UTC')::date,
           'workload', p.event_workload, p.cost_total
    from llm_usage_priced p
    where p.event_workload is not null
), periods as (
    select distinct month as period_start, 'monthly' as period from v_rollups_daily
    union
    select date_trunc('month', now() at time zone 'UTC')::date, 'monthly'
    union
    select distinct day, 'daily' from v_rollups_daily
    union
    select (now() at time zone 'UTC')::date, 'daily'
), positions as (
    select b.scope_type, b.scope_id, b.period, p.period_start, b.amount_usd, b.soft_pct, b.hard_pct, b.action, b.owner,
           coalesce(sum(s.cost_total), 0::numeric(38, 12)) as spend_usd
    from llm_budgets b
    join periods p on p.period = b.period
    left join spend s
           on s.scope_type = b.scope_type
          and (b.scope_type = 'global' or s.scope_id = b.scope_id)
          and (case b.period when 'daily' then s.day else s.month end) = p.period_start
    group by b.scope_type, b.scope_id, b.period, p.period_start, b.amount_usd, b.soft_pct, b.hard_pct, b.action, b.owner
), states as (
    select positions.*,
           case when spend_usd >= amount_usd * hard_pct / 100 then 'hard'
                when spend_usd >= amount_usd * soft_pct / 100 then 'soft'
                else 'ok' end as state
    from positions
)
select s.period_start,
       s.period,
       s.scope_type,
       s.scope_id,
       s.amount_usd                                          as budget_usd,
       s.spend_usd,
       s.amount_usd - s.spend_usd                            as remaining_usd,
       round(100 * s.spend_usd / nullif(s.amount_usd, 0), 4) as used_pct,
       s.soft_pct,
       s.hard_pct,
       s.state,
       case s.state when 'hard' then s.action when 'soft' then 'alert' else 'none' end as gateway_action,
       s.owner,
       told.state                                            as told_state,
       told.action                                           as told_action,
       told.spend                                            as told_spend_usd,
       told.updated_at                                       as told_at
from states s
left join llm_budget_status told
       on told.scope_type = s.scope_type
      and told.scope_id = s.scope_id
      and told.period = s.period
      and (told.period_start at time zone 'UTC')::date = s.period_start;

-- Q3: gross margin per feature and month (revenue from feature_revenue), ranked by revenue, and the margin if
-- every token class grew by 20% at the same prices: token cost x 1.2, per-call fees unchanged.
create view v_feature_margin as
with cost as (
    select month, feature, sum(requests) as requests, sum(cost_total) as cost_usd, sum(cost_fees) as fees_usd
    from v_rollups_daily group by month, feature
), joined as (
    select r.month, r.feature, r.revenue_usd,
           coalesce(c.requests, 0)                   as requests,
           coalesce(c.cost_usd, 0::numeric(38, 12)) as cost_usd,
           coalesce(c.fees_usd, 0::numeric(38, 12)) as fees_usd
    from feature_revenue r
    left join cost c on c.month = r.month and c.feature = r.feature
), shocked as (
    -- x 1.2 adds one decimal, always even (12 x an integer), so rounding back to scale 12 never meets a tie.
    select joined.*, round((cost_usd - fees_usd) * 1.2, 12) + fees_usd as cost_tokens_plus_20pct_usd
    from joined
)
select month,
       feature,
       row_number() over (partition by month order by revenue_usd desc, feature)           as revenue_rank,
       requests,
       revenue_usd,
       cost_usd,
       revenue_usd - cost_usd                                                              as margin_usd,
       round(100 * (revenue_usd - cost_usd) / nullif(revenue_usd, 0), 4)                   as margin_pct,
       cost_tokens_plus_20pct_usd,
       revenue_usd - cost_tokens_plus_20pct_usd                                            as margin_tokens_plus_20pct_usd,
       round(100 * (revenue_usd - cost_tokens_plus_20pct_usd) / nullif(revenue_usd, 0), 4) as margin_tokens_plus_20pct_pct
from shocked;

-- Q4: derived cost against the cost the provider reported per call, per UTC day, provider and billed model.
-- Only calls that carry a provider-reported cost are compared (like for like). likely_cause, first match wins:
-- unpriced_model (a compared call had no price), within_tolerance (|variance| <= 1% of reported),
-- price_fallback (batch or tier price fell back), price_book_above_provider / price_book_below_provider.
create view v_cost_variance_reported as
with compared as (
    select (event_timestamp at time zone 'UTC')::date                                   as day,
           event_provider                                                               as provider,
           billed_model                                                                 as model,
           count(*)                                                                     as requests,
           count(event_provider_reported_cost_usd)                                      as reported_requests,
           sum(cost_total) filter (where event_provider_reported_cost_usd is not null) as derived_cost_usd,
           sum(event_provider_reported_cost_usd)                                        as reported_cost_usd,
           count(*) filter (where event_provider_reported_cost_usd is not null
                              and 'unpriced' = any (flags))                             as unpriced_requests,
           count(*) filter (where event_provider_reported_cost_usd is not null
                              and flags && array['batch_fallback', 'tier_fallback'])     as fallback_requests
    from llm_usage_priced
    group by 1, 2, 3
    having count(event_provider_reported_cost_usd) > 0
)
select day,
       provider,
       model,
       requests,
       reported_requests,
       derived_cost_usd,
       reported_cost_usd,
       derived_cost_usd - reported_cost_usd                                          as variance_usd,
       round(100 * (derived_cost_usd - reported_cost_usd) / nullif(reported_cost_usd, 0), 4) as variance_pct,
       unpriced_requests,
       fallback_requests,
       case when unpriced_requests > 0 then 'unpriced_model'
            when abs(derived_cost_usd - reported_cost_usd) <= reported_cost_usd / 100 then 'within_tolerance'
            when fallback_requests > 0 then 'price_fallback'
            when derived_cost_usd > reported_cost_usd then 'price_book_above_provider'
            else 'price_book_below_provider' end                                     as likely_cause
from compared;

-- Q5: unallocated and shared buckets per UTC day. bucket_kind 'default': the attribution fell back to the
-- default bucket (untagged traffic); 'shared': eval and internal environments (overhead, not cost of revenue).
-- owner: the ownership registry's owner of the feature, else the owner the attribution named.
-- Measured on priced events, which carry the attribution method that rollups do not.
create view v_unallocated as
with classified as (
    select (event_timestamp at time zone 'UTC')::date as day,
           case when attribution_method = 'default' then 'default'
                when event_environment in ('eval', 'internal') then 'shared' end as bucket_kind,
           attribution_team                    as team,
           attribution_feature                 as feature,
           coalesce(event_environment, '-')    as environment,
           attribution_owner,
           cost_total
    from llm_usage_priced
), day_totals as (
    select day, sum(cost_total) as total_usd from classified group by day
), buckets as (
    select day, bucket_kind, team, feature, environment,
           max(attribution_owner) as attribution_owner,
           count(*)               as requests,
           sum(cost_total)        as spend_usd
    from classified
    where bucket_kind is not null
    group by day, bucket_kind, team, feature, environment
)
select b.day,
       date_trunc('month', b.day)::date                                   as month,
       b.bucket_kind,
       b.team,
       b.feature,
       b.environment,
       coalesce(o.owner, b.attribution_owner)                             as owner,
       b.requests,
       b.spend_usd,
       round(100 * b.spend_usd / nullif(t.total_usd, 0), 4)               as share_of_day_pct,
       coalesce(prev.spend_usd, 0::numeric(38, 12))                       as previous_day_usd,
       b.spend_usd - coalesce(prev.spend_usd, 0::numeric(38, 12))         as change_usd,
       sum(b.spend_usd) over (partition by b.bucket_kind, b.team, b.feature, b.environment,
                                           date_trunc('month', b.day) order by b.day) as month_to_date_usd
from buckets b
join day_totals t on t.day = b.day
left join buckets prev
       on prev.day = b.day - 1 and prev.bucket_kind = b.bucket_kind and prev.team = b.team
      and prev.feature = b.feature and prev.environment = b.environment
left join llm_ownership o on o.key_type = 'feature' and o.key = b.feature;

-- Q5, per month: how big each bucket is, its share of the month's spend, and its last day's spend (the trend's end).
create view v_unallocated_monthly as
with month_totals as (
    select date_trunc('month', event_timestamp at time zone 'UTC')::date as month, sum(cost_total) as total_usd
    from llm_usage_priced group by 1
)
select u.month,
       u.bucket_kind,
       u.team,
       u.feature,
       u.environment,
       max(u.owner)                                                 as owner,
       sum(u.requests)                                              as requests,
       sum(u.spend_usd)                                             as spend_usd,
       round(100 * sum(u.spend_usd) / nullif(max(t.total_usd), 0), 4) as share_of_month_pct,
       count(*)                                                     as active_days,
       max(u.day)                                                   as last_day
from v_unallocated u
join month_totals t on t.month = u.month
group by u.month, u.bucket_kind, u.team, u.feature, u.environment;
