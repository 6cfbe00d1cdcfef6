"""Whether the token a chat connection signed in with still holds: connections outlive tokens.

Expiry is known at sign-in and checked at every post. Revocations, and lifetimes cut short in
the store, are looked up by one query for every open connection's token each RECHECK_S, so a
revoked token stops posting within about that time, and no message waits on a database read.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from gateways.errors import ApiError
from gateways.oauth.models import digest

RECHECK_S = 1.0

log = logging.getLogger(__name__)


class TokenWatch:
    def __init__(self, token_digest: str, expires_at: float) -> None:
        self.digest = token_digest
        self.expires_at = expires_at
        self.revoked = False

    def lapsed(self) -> ApiError | None:
        """Why the token no longer holds, or None while it does."""
        if self.revoked:
            return ApiError(401, "invalid_token",
                            "the access token has expired or was revoked; sign in again")
        if time.time() >= self.expires_at:
            return ApiError(401, "invalid_token", "the access token has expired; sign in again")
        return None


class Revocations:
    """The tokens of a gateway process's open chat connections, checked together."""

    def __init__(self, pool: AsyncConnectionPool[Any]) -> None:
        self.pool = pool
        # Weak: a connection that ends drops its watch with it.
        self.watches: weakref.WeakSet[TokenWatch] = weakref.WeakSet()
        self.task: asyncio.Task[None] | None = None

    def watch(self, token: str, expires_at: float) -> TokenWatch:
        watch = TokenWatch(digest(token), expires_at)
        self.watches.add(watch)
        return watch

    def start(self) -> None:
        self.task = asyncio.create_task(self.run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(RECHECK_S)
            try:
                await self.check()
            except psycopg.Error as failed:  # the next round tries again
                log.warning("could not check chat tokens for revocation: %s", failed)
            except Exception:
                log.exception("checking chat tokens for revocation failed")

    async def check(self) -> None:
        watches = [watch for watch in list(self.watches) if not watch.revoked]
        if not watches:
            return
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT t.access_token_hash FROM oauth_tokens t JOIN oauth_clients c "
                "USING (client_id) WHERE t.access_token_hash = ANY(%s) AND NOT t.revoked "
                "AND t.issued_at + make_interval(secs => t.expires_in) > now()",
                ([watch.digest for watch in watches],))
            holding = {row[0] for row in await cur.fetchall()}
        for watch in watches:
            watch.revoked = watch.digest not in holding
