-- Cost per task (docs/tasks.md): the task stage's final task results and untasked cost lines, and the views that
-- turn them into cost per successful task. Money is numeric(38,12) as in V1; no CHECK constraints on sinked tables.
-- The views live here, not in R__analyst_views.sql, so they are created after their tables.

-- llm.task-results.v1 (compacted): one row per final task; the latest record per task_id replaces the row. A call or
-- outcome after finality re-emits the record with late_calls / late_cost_usd / late_outcomes moved.
create table llm_task_results (
    task_id            text           not null primary key,
    feature            text,
    model_mix          text           not null,
    primary_model      text           not null,
    outcome            text           not null,
    task_type          text,
    calls              bigint         not null,
    failed_calls       bigint         not null,
    retried_calls      bigint         not null,
    cost_usd           numeric(38,12) not null,
    wasted_usd         numeric(38,12) not null,
    value_usd          numeric(38,12),
    first_event_at     timestamptz    not null,
    last_event_at      timestamptz    not null,
    day                date           not null,
    outcome_at         timestamptz,
    finalized_at       timestamptz    not null,
    duplicate_outcomes bigint         not null,
    late_calls         bigint         not null,
    late_cost_usd      numeric(38,12) not null,
    late_outcomes      bigint         not null
);
comment on table llm_task_results is
    'Sink of llm.task-results.v1: one final task each. A task''s whole cost is cost_usd + late_cost_usd.';
create index llm_task_results_day on llm_task_results (day);

-- llm.task-untasked.v1 (compacted): cost of calls without a task_id per attributed feature, UTC day and the priced
-- stream's partition that counted them. A feature's untasked cost of a day is the sum over its partitions.
create table llm_task_untasked (
    feature   text           not null,
    day       date           not null,
    partition integer        not null,
    calls     bigint         not null,
    cost_usd  numeric(38,12) not null,
    primary key (feature, day, partition)
);
comment on table llm_task_untasked is
    'Sink of llm.task-untasked.v1: cost of calls without a task_id; sum the partitions of a (feature, day).';

-- One row per final task with what the aggregates add up. Where the money goes:
--   total_cost_usd   = cost_usd + late_cost_usd: every call of the task, late ones included (this is what ties out);
--   late_cost_usd    = calls that arrived after the task was final: in total_cost_usd and, for a task with a known
--                      outcome, in known_cost_usd, never in wasted_usd (the verdict and its waste were already
--                      decided); the day is still the task's day (its first call's);
--   known_cost_usd   = total cost of success, failure and abandoned tasks: the numerator of cost per successful
--                      task. Unknown tasks never enter a denominator, so their cost does not enter this numerator
--                      either (it stays in total_cost_usd and unknown_cost_usd);
--   valued_cost_usd  = total cost of tasks whose outcome named a value_usd: what value_per_cost divides by.
-- feature is '-' for an orphan outcome that named none; model is the primary model ('-' for an orphan outcome).
create view v_task_results as
select t.task_id,
       coalesce(t.feature, '-')                                            as feature,
       t.model_mix,
       t.primary_model                                                     as model,
       t.outcome,
       t.day,
       date_trunc('month', t.day)::date                                    as month,
       t.calls + t.late_calls                                              as calls,
       t.late_calls,
       t.cost_usd + t.late_cost_usd                                        as total_cost_usd,
       t.late_cost_usd,
       case when t.outcome in ('success', 'failure', 'abandoned')
            then t.cost_usd + t.late_cost_usd else 0::numeric(38, 12) end  as known_cost_usd,
       case when t.outcome = 'unknown'
            then t.cost_usd + t.late_cost_usd else 0::numeric(38, 12) end  as unknown_cost_usd,
       t.wasted_usd,
       t.value_usd,
       case when t.value_usd is not null
            then t.cost_usd + t.late_cost_usd end                          as valued_cost_usd,
       t.failed_calls,
       t.retried_calls,
       t.duplicate_outcomes,
       t.late_outcomes
from llm_task_results t;

-- The measures, the same in every grouping below (ratios are of the sums, never an average of ratios):
--   tasks                        tasks with calls (success + failure + abandoned + unknown); orphan outcomes apart
--   cost_usd                     total cost of the group's tasks (late cost included), of which late_cost_usd
--   cost_per_call_usd            cost_usd / calls
--   cost_per_successful_task_usd known_cost_usd / successful_tasks: what a success costs with the failed and
--                                abandoned attempts it took; null without a success. Rounded to 12 places.
--   success_rate_pct             successful / (successful + failed + abandoned): unknown tasks are not in it
--   wasted_usd                   calls of failed or abandoned tasks plus failed calls of successful ones
--   calls_per_task               calls / tasks (4 places)
--   value_per_cost               value_usd / valued_cost_usd over the tasks that named a value (4 places)
-- Ratios round half away from zero (PostgreSQL round on numeric).

-- Per (UTC day, feature, model mix).
create view v_tasks_daily_by_mix as
select day,
       month,
       feature,
       model_mix,
       count(*) filter (where outcome <> 'orphan_outcome')                                   as tasks,
       count(*) filter (where outcome = 'success')                                           as successful_tasks,
       count(*) filter (where outcome = 'failure')                                           as failed_tasks,
       count(*) filter (where outcome = 'abandoned')                                         as abandoned_tasks,
       count(*) filter (where outcome = 'unknown')                                           as unknown_tasks,
       count(*) filter (where outcome = 'orphan_outcome')                                    as orphan_outcomes,
       sum(calls)                                                                            as calls,
       sum(total_cost_usd)                                                                   as cost_usd,
       sum(late_cost_usd)                                                                    as late_cost_usd,
       sum(known_cost_usd)                                                                   as known_cost_usd,
       sum(unknown_cost_usd)                                                                 as unknown_cost_usd,
       round(sum(total_cost_usd) / nullif(sum(calls), 0), 12)                                as cost_per_call_usd,
       round(sum(known_cost_usd) / nullif(count(*) filter (where outcome = 'success'), 0), 12) as cost_per_successful_task_usd,
       round(100.0 * count(*) filter (where outcome = 'success')
             / nullif(count(*) filter (where outcome in ('success', 'failure', 'abandoned')), 0), 4) as success_rate_pct,
       sum(wasted_usd)                                                                       as wasted_usd,
       round(sum(calls)::numeric / nullif(count(*) filter (where outcome <> 'orphan_outcome'), 0), 4) as calls_per_task,
       sum(value_usd)                                                                        as value_usd,
       round(sum(value_usd) / nullif(sum(valued_cost_usd), 0), 4)                            as value_per_cost
from v_task_results
group by day, month, feature, model_mix;

-- Per (UTC day, feature, primary model): the model that cost most in the task.
create view v_tasks_daily_by_model as
select day,
       month,
       feature,
       model,
       count(*) filter (where outcome <> 'orphan_outcome')                                   as tasks,
       count(*) filter (where outcome = 'success')                                           as successful_tasks,
       count(*) filter (where outcome = 'failure')                                           as failed_tasks,
       count(*) filter (where outcome = 'abandoned')                                         as abandoned_tasks,
       count(*) filter (where outcome = 'unknown')                                           as unknown_tasks,
       count(*) filter (where outcome = 'orphan_outcome')                                    as orphan_outcomes,
       sum(calls)                                                                            as calls,
       sum(total_cost_usd)                                                                   as cost_usd,
       sum(late_cost_usd)                                                                    as late_cost_usd,
       sum(known_cost_usd)                                                                   as known_cost_usd,
       sum(unknown_cost_usd)                                                                 as unknown_cost_usd,
       round(sum(total_cost_usd) / nullif(sum(calls), 0), 12)                                as cost_per_call_usd,
       round(sum(known_cost_usd) / nullif(count(*) filter (where outcome = 'success'), 0), 12) as cost_per_successful_task_usd,
       round(100.0 * count(*) filter (where outcome = 'success')
             / nullif(count(*) filter (where outcome in ('success', 'failure', 'abandoned')), 0), 4) as success_rate_pct,
       sum(wasted_usd)                                                                       as wasted_usd,
       round(sum(calls)::numeric / nullif(count(*) filter (where outcome <> 'orphan_outcome'), 0), 4) as calls_per_task,
       sum(value_usd)                                                                        as value_usd,
       round(sum(value_usd) / nullif(sum(valued_cost_usd), 0), 4)                            as value_per_cost
from v_task_results
group by day, month, feature, model;

-- Per UTC month, in four groupings (grouped_by): 'feature,model' (primary model), 'feature', 'model' and 'all'
-- (feature and model null where the grouping does not have them).
create view v_tasks_monthly as
select month,
       case when grouping(feature) = 0 and grouping(model) = 0 then 'feature,model'
            when grouping(feature) = 0 then 'feature'
            when grouping(model) = 0 then 'model'
            else 'all' end                                                                   as grouped_by,
       feature,
       model,
       count(*) filter (where outcome <> 'orphan_outcome')                                   as tasks,
       count(*) filter (where outcome = 'success')                                           as successful_tasks,
       count(*) filter (where outcome = 'failure')                                           as failed_tasks,
       count(*) filter (where outcome = 'abandoned')                                         as abandoned_tasks,
       count(*) filter (where outcome = 'unknown')                                           as unknown_tasks,
       count(*) filter (where outcome = 'orphan_outcome')                                    as orphan_outcomes,
       sum(calls)                                                                            as calls,
       sum(total_cost_usd)                                                                   as cost_usd,
       sum(late_cost_usd)                                                                    as late_cost_usd,
       sum(known_cost_usd)                                                                   as known_cost_usd,
       sum(unknown_cost_usd)                                                                 as unknown_cost_usd,
       round(sum(total_cost_usd) / nullif(sum(calls), 0), 12)                                as cost_per_call_usd,
       round(sum(known_cost_usd) / nullif(count(*) filter (where outcome = 'success'), 0), 12) as cost_per_successful_task_usd,
       round(100.0 * count(*) filter (where outcome = 'success')
             / nullif(count(*) filter (where outcome in ('success', 'failure', 'abandoned')), 0), 4) as success_rate_pct,
       sum(wasted_usd)                                                                       as wasted_usd,
       round(sum(calls)::numeric / nullif(count(*) filter (where outcome <> 'orphan_outcome'), 0), 4) as calls_per_task,
       sum(value_usd)                                                                        as value_usd,
       round(sum(value_usd) / nullif(sum(valued_cost_usd), 0), 4)                            as value_per_cost
from v_task_results
group by grouping sets ((month, feature, model), (month, feature), (month, model), (month));

-- Untasked cost per (UTC day, feature): the partitions' lines summed.
create view v_task_untasked_daily as
select day,
       date_trunc('month', day)::date as month,
       feature,
       sum(calls)                     as calls,
       sum(cost_usd)                  as cost_usd
from llm_task_untasked
group by day, feature;

-- Per UTC month: task cost + untasked cost against the cost of the priced calls (llm_usage_priced, by call time).
-- difference_usd is zero once every task of the month is final, unless a task spans a month boundary: a task counts
-- whole in the month of its first call, an untasked call and a priced call in their own.
create view v_task_cost_tieout as
with months as (
    select month from v_task_results
    union
    select month from v_task_untasked_daily
    union
    select date_trunc('month', event_timestamp at time zone 'UTC')::date from llm_usage_priced
), tasks as (
    select month, sum(total_cost_usd) as cost_usd, sum(late_cost_usd) as late_cost_usd,
           count(*) filter (where outcome <> 'orphan_outcome') as tasks
    from v_task_results group by month
), untasked as (
    select month, sum(cost_usd) as cost_usd, sum(calls) as calls from v_task_untasked_daily group by month
), priced as (
    select date_trunc('month', event_timestamp at time zone 'UTC')::date as month, sum(cost_total) as cost_usd,
           count(*) as calls
    from llm_usage_priced group by 1
)
select m.month,
       coalesce(t.tasks, 0)                                                            as tasks,
       coalesce(t.cost_usd, 0::numeric(38, 12))                                        as task_cost_usd,
       coalesce(t.late_cost_usd, 0::numeric(38, 12))                                   as late_cost_usd,
       coalesce(u.calls, 0)                                                            as untasked_calls,
       coalesce(u.cost_usd, 0::numeric(38, 12))                                        as untasked_cost_usd,
       coalesce(t.cost_usd, 0::numeric(38, 12)) + coalesce(u.cost_usd, 0::numeric(38, 12)) as accounted_cost_usd,
       coalesce(p.calls, 0)                                                            as priced_calls,
       coalesce(p.cost_usd, 0::numeric(38, 12))                                        as priced_cost_usd,
       coalesce(p.cost_usd, 0::numeric(38, 12))
           - coalesce(t.cost_usd, 0::numeric(38, 12)) - coalesce(u.cost_usd, 0::numeric(38, 12)) as difference_usd
from months m
left join tasks t on t.month = m.month
left join untasked u on u.month = m.month
left join priced p on p.month = m.month;
