-- Who put a revenue row in feature_revenue: 'finance' (load revenue, demo --revenue FILE) or 'demo' (the revenue the
-- demo generates for its own customer-facing features, so that the margin question has an answer out of the box).
-- Each demo run replaces the demo's rows and never overwrites finance's.
alter table feature_revenue add column source text not null default 'finance' check (source in ('finance', 'demo'));
