-- Every feed a worker runs (deciders, projections, the scheduler): its leader reports every
-- few seconds how far behind the end of its topics it is, and when it last applied
-- anything. Readiness reports a feed whose report is stale (no live leader, or one that
-- decides nothing) or that is behind and has not moved for a while.
CREATE TABLE feeds (
    name text PRIMARY KEY,
    reported_at timestamptz NOT NULL DEFAULT now(),
    lag bigint NOT NULL DEFAULT 0,
    moved_at timestamptz NOT NULL DEFAULT now()
);
