-- A revoked webhook subscription whose callback has yet to be told so (one revocation message,
-- posted by the webhook deliverer, whoever revoked it: failures or a withdrawn authorization).
ALTER TABLE eventsub_subscriptions ADD COLUMN revocation_due boolean NOT NULL DEFAULT false;
CREATE INDEX eventsub_subscriptions_revocation_due ON eventsub_subscriptions (id)
    WHERE revocation_due;
