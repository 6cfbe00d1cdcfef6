-- Ads: the first-party web app may start a channel's ad breaks and set its ad schedule.
UPDATE oauth_clients
SET scope = scope || ' channel:edit:commercial'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%channel:edit:commercial%';
