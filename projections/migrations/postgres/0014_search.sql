-- Search over channels, users and categories: full text with prefix words (search_document:
-- names, titles, categories, tags, bios) and trigram similarity for typos in names
-- (search_text). Both are generated columns, so each write keeps them and their indexes
-- current in its own transaction, and a replay's copies of the tables (LIKE ... INCLUDING
-- ALL) carry them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- array_to_string is only STABLE because of other element types; over text[] it is immutable,
-- which generated columns require.
CREATE FUNCTION search_words(words text[]) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(array_to_string(words, ' '));

ALTER TABLE channels
    ADD COLUMN search_text text GENERATED ALWAYS AS (
        search_words(ARRAY[channel, display_name])) STORED,
    ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', channel || ' ' || display_name), 'A')
        || setweight(to_tsvector('simple', title), 'B')
        || setweight(to_tsvector('simple', category || ' ' || search_words(tags)), 'C')) STORED;
CREATE INDEX channels_search_document ON channels USING gin (search_document);
CREATE INDEX channels_search_text ON channels USING gin (search_text gin_trgm_ops);

ALTER TABLE users
    ADD COLUMN search_text text GENERATED ALWAYS AS (
        search_words(ARRAY[username, display_name])) STORED,
    ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', username || ' ' || display_name), 'A')
        || setweight(to_tsvector('simple', bio), 'B')) STORED;
CREATE INDEX users_search_document ON users USING gin (search_document);
CREATE INDEX users_search_text ON users USING gin (search_text gin_trgm_ops);

ALTER TABLE categories
    ADD COLUMN search_text text GENERATED ALWAYS AS (lower(name)) STORED,
    ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', name), 'A')) STORED;
CREATE INDEX categories_search_document ON categories USING gin (search_document);
CREATE INDEX categories_search_text ON categories USING gin (search_text gin_trgm_ops);
