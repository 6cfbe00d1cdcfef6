-- EventSub subscriptions (gateways.eventsub): what an app asked to be told, and where.
-- `channel` is the broadcaster's channel, by which Castline's events are keyed.
CREATE TABLE eventsub_subscriptions (
    id uuid PRIMARY KEY,
    client_id text NOT NULL,
    user_id uuid,  -- the user whose token created it (WebSocket transport)
    type text NOT NULL,
    version text NOT NULL,
    condition jsonb NOT NULL,
    channel text NOT NULL,
    broadcaster_id uuid NOT NULL,
    broadcaster_login text NOT NULL,
    broadcaster_name text NOT NULL,
    status text NOT NULL,
    method text NOT NULL CHECK (method IN ('websocket', 'webhook')),
    session_id text,
    callback text,
    secret text,
    cost int NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    connected_at timestamptz
);
CREATE UNIQUE INDEX eventsub_subscriptions_unique ON eventsub_subscriptions
    (client_id, type, version, condition, coalesce(callback, session_id));
CREATE INDEX eventsub_subscriptions_by_channel ON eventsub_subscriptions (channel, type);
CREATE INDEX eventsub_subscriptions_by_session ON eventsub_subscriptions (session_id);

-- Notifications waiting for a webhook, sent in seq order per subscription; a message id is
-- queued once however often its event is read.
CREATE TABLE eventsub_deliveries (
    subscription_id uuid NOT NULL REFERENCES eventsub_subscriptions (id) ON DELETE CASCADE,
    message_id text NOT NULL,
    seq bigserial NOT NULL,
    message_type text NOT NULL,
    sent_at text NOT NULL,  -- its Twitch-Eventsub-Message-Timestamp, signed as sent
    body text NOT NULL,
    attempts int NOT NULL DEFAULT 0,
    due_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscription_id, message_id)
);
CREATE INDEX eventsub_deliveries_due ON eventsub_deliveries (subscription_id, seq);

-- The scopes EventSub types ask for; the first-party web app may be granted them.
UPDATE oauth_clients SET scope = scope || ' user:read:chat'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%user:read:chat%';
UPDATE oauth_clients SET scope = scope || ' channel:moderate'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%channel:moderate%';
UPDATE oauth_clients SET scope = scope || ' moderation:read'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%moderation:read%';
UPDATE oauth_clients SET scope = scope || ' channel:read:ads'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%channel:read:ads%';
