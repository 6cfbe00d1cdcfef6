-- Raids: whom each channel accepts raids from, and each raid with how it ended (a raid still
-- counting down has no ended_at: the raid scheduler nudges its channel when it is due).
ALTER TABLE channels ADD COLUMN raids_from text NOT NULL DEFAULT 'everyone';
CREATE TABLE raids (
    raid_id text PRIMARY KEY,
    channel text NOT NULL,
    target text NOT NULL,
    viewers bigint NOT NULL,
    started_at timestamptz NOT NULL,
    goes_at timestamptz NOT NULL,
    ended_at timestamptz,
    went boolean
);
CREATE INDEX raids_counting_down ON raids (goes_at) WHERE ended_at IS NULL;

-- Helix's Start and Cancel a Raid: the first-party web app may ask for their scope.
UPDATE oauth_clients
SET scope = scope || ' channel:manage:raids'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%channel:manage:raids%';
