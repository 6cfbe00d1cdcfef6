-- Where a projection kept outside PostgreSQL lives (a Cassandra keyspace); no row: the default.
CREATE TABLE projection_locations (
    projection text PRIMARY KEY,
    live text NOT NULL,
    version integer NOT NULL,
    retired text
);
