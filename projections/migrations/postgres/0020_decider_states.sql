-- The account, wallet and subscription deciders' states, one row per aggregate key within a
-- kind ('usernames', 'emails', 'wallets', 'subscriptions'), written with the decider's
-- checkpoints (projection_checkpoints) in the transaction of each batch.
CREATE TABLE decider_states (
    kind text NOT NULL,
    key text NOT NULL,
    state jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, key)
);
