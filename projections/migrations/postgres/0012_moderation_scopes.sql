UPDATE oauth_clients
SET scope = scope || ' moderator:manage:chat_messages moderator:manage:chat_settings'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%moderator:manage:chat_messages%';
