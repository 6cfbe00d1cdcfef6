"""cassandra-driver sessions on the keyspaces chat history has lived in (a replay moves it)."""

from __future__ import annotations

import asyncio
from typing import Any

from psycopg_pool import AsyncConnectionPool

from feeds import locations
from projections import chat_history


class HistorySessions:
    def __init__(self, session: Any, pool: AsyncConnectionPool[Any], default: str) -> None:
        self.any = session  # on no keyspace: for health checks
        self.cluster = session.cluster
        self.pool = pool
        self.default = default
        self.sessions: dict[str, Any] = {}

    async def live(self) -> Any:
        """A session on the keyspace reads use now; each request looks it up, so a switch
        reaches every gateway at once."""
        async with self.pool.connection() as conn:
            keyspace = await locations.live(conn, chat_history.NAME, self.default)
        if keyspace not in self.sessions:
            session = await asyncio.to_thread(self.cluster.connect, keyspace)
            self.sessions.setdefault(keyspace, session)
        return self.sessions[keyspace]

    def shutdown(self) -> None:
        self.cluster.shutdown()
