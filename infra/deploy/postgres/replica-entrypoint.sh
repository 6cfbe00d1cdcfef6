#!/bin/sh
# The streaming replica: on first start, a base backup of the primary (creating its replication
# slot) with standby.signal and primary_conninfo written by -R; then a hot standby.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready -h postgres -U castline -d castline; do sleep 1; done
    mkdir -p "$PGDATA"
    PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h postgres -U replicator -D "$PGDATA" \
        -X stream -R -C -S replica_1
    chown -R postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
fi
exec gosu postgres postgres -c hot_standby=on
