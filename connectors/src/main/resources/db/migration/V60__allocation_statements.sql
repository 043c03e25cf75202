-- Showback and chargeback (docs/statements.md): the allocation rules finance loads with `tokenledger load allocation`.
-- Not a sink table: the demo's reset keeps it, like feature_revenue. A load replaces the whole table in one
-- transaction (the file is the policy, every version of it), so a statement is always computed from one file.

-- One row per rule of one version of the policy. The version in force for a month is the greatest effective_from on
-- or before that month; within it, rules apply in rule_order (a cost cell belongs to the first rule whose source
-- matches it). targets and weights are parallel arrays; weights (percent) only for the fixed method.
create table allocation_rules (
    effective_from date           not null check (effective_from = date_trunc('month', effective_from)::date),
    rule_order     integer        not null,
    name           text           not null,
    source_kind    text           not null check (source_kind in ('feature', 'team', 'environment', 'unallocated')),
    source_id      text           not null,
    target_level   text           not null check (target_level in ('team', 'cost_center', 'product_line')),
    targets        text[]         not null,
    method         text           not null check (method in ('even', 'proportional', 'fixed', 'telemetry')),
    metric         text           check (metric in ('requests', 'tokens')),
    weights_pct    numeric(38,12)[],
    file_line      integer        not null,
    source_file    text,
    loaded_at      timestamptz    not null default now(),
    primary key (effective_from, name),
    unique (effective_from, rule_order)
);
comment on table allocation_rules is
    'Allocation rules (tokenledger load allocation): how shared buckets are spread over teams, cost centers or product lines, per version.';

-- The versions loaded and the month each takes effect, for people: which policy a month's statements used.
create view v_allocation_versions as
select effective_from,
       lead(effective_from) over (order by effective_from) as superseded_from,
       count(*)                                             as rules,
       string_agg(name || ' (' || method || ')', ', ' order by rule_order) as rule_names
from allocation_rules
group by effective_from;
