"""Where a feed kept outside PostgreSQL writes now (chat history's Cassandra keyspace, analytics'
ClickHouse database), recorded in PostgreSQL so that one update switches every reader and the
live feed to a replayed version."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import AsyncConnection

SELECT = "SELECT live, version, retired FROM projection_locations WHERE projection = %s"


@dataclass(frozen=True)
class Location:
    live: str
    version: int = 1
    retired: str | None = None  # a version a switch replaced, kept until dropped


def location(conn: psycopg.Connection, projection: str, default: str) -> Location:
    row = conn.execute(SELECT, (projection,)).fetchone()
    return Location(default) if row is None else Location(*row)


async def live(conn: AsyncConnection[Any], projection: str, default: str) -> str:
    cursor = await conn.execute(SELECT, (projection,))
    row = await cursor.fetchone()
    return default if row is None else str(row[0])


def record(conn: psycopg.Connection, projection: str, where: Location) -> None:
    conn.execute(
        "INSERT INTO projection_locations (projection, live, version, retired) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT (projection) DO UPDATE SET live = EXCLUDED.live, "
        "version = EXCLUDED.version, retired = EXCLUDED.retired",
        (projection, where.live, where.version, where.retired),
    )


class Follower:
    """Where a projection lives now, looked up at most once per `every_s`: a live projector
    asks between batches and moves when a replay has switched it."""

    def __init__(self, locate: Callable[[], str], current: str, every_s: float = 1.0) -> None:
        self.locate = locate
        self.current = current
        self.every_s = every_s
        self.checked_at = time.monotonic()

    def moved(self) -> str | None:
        """The new location, once, after a switch; otherwise None."""
        if time.monotonic() - self.checked_at < self.every_s:
            return None
        self.checked_at = time.monotonic()
        where = self.locate()
        if where == self.current:
            return None
        self.current = where
        return where
