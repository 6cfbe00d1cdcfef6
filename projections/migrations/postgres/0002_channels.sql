CREATE TABLE channels (
    channel text PRIMARY KEY,
    display_name text NOT NULL,
    title text NOT NULL,
    category text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL
);

CREATE INDEX channels_category ON channels (category, channel);
