-- The ids of the channel events the channels projection has applied (created, info updated):
-- the same event delivered again at another offset (a decider that decided its command again)
-- is recognised by its id and not counted again in the channel's version.
CREATE TABLE channel_events_applied (
    event_id uuid PRIMARY KEY
);
