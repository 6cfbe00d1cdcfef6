-- Helix names categories (games) by id: a number drawn from the name, the same wherever the
-- catalog is installed; UNIQUE makes a clash of two names fail here rather than mix them up.
ALTER TABLE categories ADD COLUMN id integer
    GENERATED ALWAYS AS (('x' || substr(md5(lower(name)), 1, 7))::bit(28)::integer) STORED
    UNIQUE NOT NULL;
