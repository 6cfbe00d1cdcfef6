"""Where analytics lives: its tables in a versioned database (`<db>_analytics_v<N>`), named by
`projection_locations` in PostgreSQL, and views of the same names in the configured database
that analysts query, pointing at the live version. A replay builds version N+1 beside it and
switches by moving the pointer and re-pointing the views."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import psycopg
from clickhouse_driver import Client
from psycopg import AsyncConnection

from analytics.raw_tables import families_tables
from analytics.rollups import analyst_objects
from analytics.sink import ensure_tables
from config.settings import Settings
from feeds import locations
from stores import clickhouse

NAME = "analytics"


def base_database(settings: Settings) -> str:
    return clickhouse.database_of(settings.clickhouse)


def version_database(settings: Settings, version: int) -> str:
    return f"{base_database(settings)}_{NAME}_v{version}"


def live_location(conn: psycopg.Connection, settings: Settings) -> locations.Location:
    return locations.location(conn, NAME, version_database(settings, 1))


async def live_database(conn: AsyncConnection[Any], settings: Settings) -> str:
    return await locations.live(conn, NAME, version_database(settings, 1))


def reading(settings: Settings, database: str) -> AbstractContextManager[Client]:
    """A client on an existing `database`, disconnected after."""
    return clickhouse.connected(clickhouse.database_url(settings, database))


def client_on(settings: Settings, database: str) -> Client:
    """A client on `database`, created if missing, with every analytics table in it."""
    url = clickhouse.database_url(settings, database)
    clickhouse.ensure_database(url)
    client = clickhouse.client(url)
    ensure_tables(client)
    return client


def point_views(settings: Settings, database: str) -> None:
    """Make each view in the configured database read `database`'s table; a view is replaced
    by a rename, so a query sees the old or the new version, never no table."""
    base = base_database(settings)
    with clickhouse.connected(settings.clickhouse) as client:
        for table in (*(t.name for t in families_tables().values()), *analyst_objects()):
            client.execute(f"DROP TABLE IF EXISTS {base}.{table}__next")
            client.execute(f"CREATE VIEW {base}.{table}__next AS "
                           f"SELECT * FROM {database}.{table}")
            if client.execute(f"EXISTS TABLE {base}.{table}")[0][0]:
                client.execute(f"RENAME TABLE {base}.{table} TO {base}.{table}__old, "
                               f"{base}.{table}__next TO {base}.{table}")
                client.execute(f"DROP TABLE {base}.{table}__old")
            else:
                client.execute(f"RENAME TABLE {base}.{table}__next TO {base}.{table}")
