-- Helix's Send Chat Announcement: the first-party web app may ask for its scope.
UPDATE oauth_clients
SET scope = scope || ' moderator:manage:announcements'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%moderator:manage:announcements%';
