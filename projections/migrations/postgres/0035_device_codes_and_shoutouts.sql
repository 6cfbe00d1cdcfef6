-- OAuth's device code flow (RFC 8628): each code a device asked for, until it is exchanged for
-- tokens (then deleted: single use) or expires. The user who approved or denied it is kept with
-- their answer; polled_at and poll_interval_s tell a device that polls too often to slow down.
CREATE TABLE oauth_device_codes (
    device_code_hash text PRIMARY KEY,
    user_code text NOT NULL UNIQUE,
    client_id text NOT NULL REFERENCES oauth_clients,
    scope text NOT NULL,
    expires_at timestamptz NOT NULL,
    poll_interval_s integer NOT NULL,
    polled_at timestamptz,
    user_id uuid,
    approved boolean
);
CREATE INDEX oauth_device_codes_expiry ON oauth_device_codes (expires_at);

-- Helix's Send a Shoutout and EventSub's channel.shoutout.create: the first-party web app may
-- ask for their scopes.
UPDATE oauth_clients
SET scope = scope || ' moderator:manage:shoutouts'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%moderator:manage:shoutouts%';
UPDATE oauth_clients
SET scope = scope || ' moderator:read:shoutouts'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%moderator:read:shoutouts%';
