"""Whether the token a chat socket signed in with still holds: sockets outlive tokens.

Expiry is known at sign-in and checked at every post; a revocation is looked up again at most
every RECHECK_S, so a revoked token stops posting within that time without a database read per
message.
"""

from __future__ import annotations

import time
from typing import Any

from psycopg_pool import AsyncConnectionPool

from gateways.auth import authenticate
from gateways.errors import ApiError

RECHECK_S = 1.0


class TokenWatch:
    def __init__(self, pool: AsyncConnectionPool[Any], token: str, expires_at: float) -> None:
        self.pool = pool
        self.token = token
        self.expires_at = expires_at
        self.checked = time.monotonic()

    async def lapsed(self) -> ApiError | None:
        """Why the token no longer holds, or None while it does."""
        if time.time() >= self.expires_at:
            return ApiError(401, "invalid_token", "the access token has expired; sign in again")
        if time.monotonic() - self.checked < RECHECK_S:
            return None
        try:
            await authenticate(self.pool, self.token)
        except ApiError as refused:
            return refused
        self.checked = time.monotonic()
        return None
