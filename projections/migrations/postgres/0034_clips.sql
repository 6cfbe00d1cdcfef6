-- Clips: asked for (pending), then cut (ready) or not (failed). A clip from a live stream has
-- session_id and start_at; one from a VOD has video_id and start_ms.
CREATE TABLE clips (
    clip_id uuid PRIMARY KEY,
    channel text NOT NULL,
    creator_id uuid NOT NULL,
    title text NOT NULL,
    session_id uuid,
    start_at timestamptz,
    video_id uuid,
    start_ms bigint NOT NULL,
    requested_ms bigint NOT NULL,
    duration_ms bigint,
    status text NOT NULL DEFAULT 'pending',
    object_key text,
    failure text,
    created_at timestamptz NOT NULL,
    view_count bigint NOT NULL DEFAULT 0
);
CREATE INDEX clips_channel ON clips (channel, created_at DESC, clip_id) WHERE status = 'ready';
CREATE INDEX clips_pending ON clips (created_at) WHERE status = 'pending';

-- The player sessions that watched each clip: one view each (view_count counts them).
CREATE TABLE clip_views (
    clip_id uuid NOT NULL,
    player_session text NOT NULL,
    PRIMARY KEY (clip_id, player_session)
);

-- The first-party web app may cut clips.
UPDATE oauth_clients
SET scope = scope || ' clips:edit'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%clips:edit%';
