ALTER TABLE channels ADD COLUMN live_session_id uuid;

CREATE TABLE streams (
    session_id uuid PRIMARY KEY,
    channel text NOT NULL,
    started_at timestamptz NOT NULL,
    last_heartbeat_at timestamptz NOT NULL,
    ended_at timestamptz,
    end_reason text
);
CREATE INDEX streams_channel ON streams (channel, started_at DESC);

CREATE TABLE publish_rejections (
    event_id uuid PRIMARY KEY,
    channel text NOT NULL,
    reason text NOT NULL,
    client_id text NOT NULL,
    address text NOT NULL,
    rejected_at timestamptz NOT NULL
);
CREATE INDEX publish_rejections_channel ON publish_rejections (channel, rejected_at DESC);
