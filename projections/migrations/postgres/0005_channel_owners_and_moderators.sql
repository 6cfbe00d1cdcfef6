ALTER TABLE channels ADD COLUMN owner_id uuid;

CREATE TABLE channel_moderators (
    channel text NOT NULL,
    user_id uuid NOT NULL,
    username text NOT NULL,
    added_at timestamptz NOT NULL,
    PRIMARY KEY (channel, user_id)
);

CREATE TABLE user_roles (
    user_id uuid NOT NULL,
    role text NOT NULL,
    granted_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, role)
);
