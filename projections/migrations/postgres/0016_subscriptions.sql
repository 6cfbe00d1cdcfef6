-- Subscriptions, one row per (channel, subscriber): the latest subscription (a resubscription
-- after an end replaces the row). ended_at is null while the subscriber has the benefits.
CREATE TABLE subscriptions (
    channel text NOT NULL,
    user_id uuid NOT NULL,
    subscription_id text NOT NULL,
    tier integer NOT NULL,
    gift_id text,
    gifted_by uuid,
    started_at timestamptz NOT NULL,
    period integer NOT NULL DEFAULT 0,
    period_end timestamptz NOT NULL,
    cancelled_at timestamptz,
    ended_at timestamptz,
    end_reason text,
    PRIMARY KEY (channel, user_id)
);
CREATE INDEX subscriptions_by_user ON subscriptions (user_id);
CREATE INDEX subscriptions_active_by_end ON subscriptions (period_end) WHERE ended_at IS NULL;
CREATE INDEX subscriptions_by_gift ON subscriptions (gift_id) WHERE gift_id IS NOT NULL;

UPDATE oauth_clients
SET scope = scope || ' user:read:subscriptions'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%user:read:subscriptions%';
