-- Helix's chat, moderation and ads endpoints: the first-party web app may ask for their scopes.
UPDATE oauth_clients
SET scope = scope || ' user:write:chat moderator:read:chat_settings moderator:read:chatters'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%user:write:chat%';
UPDATE oauth_clients
SET scope = scope || ' moderation:read channel:read:ads'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%moderation:read%';

-- Each channel's follower count, kept by the follows projection as follows come and go, so
-- that Helix's follower listing reads it instead of counting the follows on every page. No
-- CHECK: a projector of the version before still writing follows while this runs leaves a
-- count short, and an unfollow must then not stop the feed (reads clamp at 0; `castline
-- replay follows` makes it exact).
CREATE TABLE follower_counts (
    channel text PRIMARY KEY,
    followers bigint NOT NULL
);
INSERT INTO follower_counts (channel, followers)
SELECT channel, count(*) FROM follows GROUP BY channel;
