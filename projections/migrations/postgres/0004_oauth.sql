-- The authorization server's own store: apps, codes and tokens (secrets and tokens hashed).
CREATE TABLE oauth_clients (
    client_id text PRIMARY KEY,
    client_secret_hash text,            -- NULL for public clients (PKCE, first-party)
    owner_id uuid,                      -- NULL for the platform's own clients
    name text NOT NULL,
    redirect_uris text[] NOT NULL DEFAULT '{}',
    grant_types text[] NOT NULL,
    scope text NOT NULL,
    first_party boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE oauth_codes (
    code_hash text PRIMARY KEY,
    client_id text NOT NULL REFERENCES oauth_clients,
    user_id uuid NOT NULL,
    redirect_uri text NOT NULL,
    scope text NOT NULL,
    code_challenge text,
    code_challenge_method text,
    expires_at timestamptz NOT NULL
);

CREATE TABLE oauth_tokens (
    access_token_hash text PRIMARY KEY,
    refresh_token_hash text UNIQUE,
    client_id text NOT NULL REFERENCES oauth_clients,
    user_id uuid,                       -- NULL for client-credentials tokens
    scope text NOT NULL,
    issued_at timestamptz NOT NULL DEFAULT now(),
    expires_in integer NOT NULL,
    revoked boolean NOT NULL DEFAULT false
);
CREATE INDEX oauth_tokens_user ON oauth_tokens (user_id);

-- The web app signs users in with their password; it is public (no secret to keep).
INSERT INTO oauth_clients (client_id, name, grant_types, scope, first_party)
VALUES ('castline-web', 'Castline web app', '{password,refresh_token}',
        'chat:read chat:edit channel:manage:broadcast channel:read:stream_key '
        'channel:manage:moderators moderator:manage:banned_users bits:read '
        'channel:read:subscriptions analytics:read user:edit user:read:email', true);
