-- VODs: one row per recorded live session; a deleted one stays as a tombstone, so a VodRecorded
-- delivered again cannot bring it back. files_removed_at is the VOD recorder's note that the
-- stored files are gone (after a replay it removes them again, which changes nothing).
CREATE TABLE videos (
    video_id uuid PRIMARY KEY,
    session_id uuid NOT NULL UNIQUE,
    channel text NOT NULL,
    title text NOT NULL,
    category text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz NOT NULL,
    duration_ms bigint NOT NULL,
    renditions text[] NOT NULL,
    recorded_at timestamptz NOT NULL,
    view_count bigint NOT NULL DEFAULT 0,
    deleted_at timestamptz,
    deleted_reason text,
    files_removed_at timestamptz
);
CREATE INDEX videos_channel ON videos (channel, recorded_at DESC, video_id)
    WHERE deleted_at IS NULL;
CREATE INDEX videos_recorded ON videos (recorded_at) WHERE deleted_at IS NULL;

-- The first-party web app may delete the signed-in broadcaster's videos.
UPDATE oauth_clients
SET scope = scope || ' channel:manage:videos'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%channel:manage:videos%';

-- The player sessions that watched each video: one view each (view_count counts them).
CREATE TABLE video_views (
    video_id uuid NOT NULL,
    player_session text NOT NULL,
    PRIMARY KEY (video_id, player_session)
);
