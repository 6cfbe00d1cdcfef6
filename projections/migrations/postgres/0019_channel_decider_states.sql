-- The channel decider's state, one row per channel, written with the decider's checkpoints
-- (projection_checkpoints, projection 'channel_decider') in the transaction of each batch.
CREATE TABLE channel_decider_states (
    channel text PRIMARY KEY,
    state jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
