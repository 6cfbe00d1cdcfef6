-- Helix's follower lists: the first-party web app may read whom one follows and, where one
-- moderates, who follows the channel.
UPDATE oauth_clients
SET scope = scope || ' user:read:follows'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%user:read:follows%';
UPDATE oauth_clients
SET scope = scope || ' moderator:read:followers'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%moderator:read:followers%';
