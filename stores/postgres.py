"""PostgreSQL connections and pools, every one in autocommit: a transaction is always explicit."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from config.settings import Settings

OPEN_TIMEOUT_S = 10


def connect(dsn: str) -> psycopg.Connection:
    return psycopg.connect(dsn, autocommit=True)


async def open_async_pool(settings: Settings, max_size: int, dsn: str | None = None
                          ) -> AsyncConnectionPool[Any]:
    """On the primary, or on `dsn` (a replica)."""
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        dsn or settings.postgres, min_size=1, max_size=max_size, open=False,
        kwargs={"autocommit": True})
    await pool.open(wait=True, timeout=OPEN_TIMEOUT_S)
    return pool


def open_pool(settings: Settings, max_size: int) -> ConnectionPool[Any]:
    """For code that runs in worker threads (authlib)."""
    pool: ConnectionPool[Any] = ConnectionPool(
        settings.postgres, min_size=1, max_size=max_size, open=False,
        kwargs={"autocommit": True})
    pool.open(wait=True, timeout=OPEN_TIMEOUT_S)
    return pool
