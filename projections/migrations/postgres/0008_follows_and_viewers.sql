CREATE TABLE follows (
    channel text NOT NULL,
    user_id uuid NOT NULL,
    username text NOT NULL,
    followed_at timestamptz NOT NULL,
    PRIMARY KEY (channel, user_id)
);
CREATE INDEX follows_user ON follows (user_id, channel);

-- Copied from Redis every few seconds: the directory sorts live channels by it.
ALTER TABLE channels ADD COLUMN viewer_count integer NOT NULL DEFAULT 0;
CREATE INDEX channels_live_by_viewers ON channels (viewer_count DESC, channel)
    WHERE live_session_id IS NOT NULL;
