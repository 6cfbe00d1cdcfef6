"""Idempotency-Key as payment APIs keep it: a key names one request of its caller on its route.

The same key on the same route always names the same command, so a retry is answered with
the first outcome. The request's fingerprint (its target and body; never a card number or a
password) is kept with the key for good: the same key sent with another request is refused
(422 idempotency_key_reused) instead of being answered with the first request's outcome.
"""

from __future__ import annotations

import hashlib
import json
from uuid import NAMESPACE_URL, UUID, uuid5

from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel
from starlette.requests import Request

from gateways.errors import ApiError

MAX_KEY_LENGTH = 200
SECRET_FIELDS = {"card_number", "password"}


def command_id_for(scope: str, idempotency_key: str | None) -> UUID | None:
    """The same Idempotency-Key in the same scope always names the same command."""
    if idempotency_key is None:
        return None
    if not 1 <= len(idempotency_key) <= MAX_KEY_LENGTH or not (
            idempotency_key.isascii() and idempotency_key.isprintable()):
        raise ApiError(400, "invalid_idempotency_key", f"Idempotency-Key must be 1-"
                       f"{MAX_KEY_LENGTH} printable ASCII characters", "Idempotency-Key")
    return uuid5(NAMESPACE_URL, f"castline:{scope}:{idempotency_key}")


def fingerprint(target: str, body: BaseModel | None) -> str:
    shown = body.model_dump(mode="json", exclude=SECRET_FIELDS) if body is not None else None
    canonical = json.dumps({"target": target, "body": shown}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def keyed_command_id(pool: AsyncConnectionPool, request: Request, scope: str,
                           body: BaseModel | None) -> UUID | None:
    """The command the request's key names (None without a key), once the key is known to
    name this request and no other."""
    key = request.headers.get("idempotency-key")
    command_id = command_id_for(scope, key)
    if command_id is None or key is None:
        return None
    presented = fingerprint(request.url.path, body)
    async with pool.connection() as conn:
        cur = await conn.execute(
            "INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES (%s, %s, %s) "
            "ON CONFLICT (scope, key) DO UPDATE SET scope = EXCLUDED.scope "
            "RETURNING fingerprint", (scope, key, presented))
        row = await cur.fetchone()
    if row is None or row[0] != presented:
        raise ApiError(422, "idempotency_key_reused", "this Idempotency-Key was used for "
                       "another request; send a new key for a new request", "Idempotency-Key")
    return command_id


async def decided(pool: AsyncConnectionPool, command_id: UUID) -> bool:
    """Whether a decider has answered this command already (a retry of a decided request)."""
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT 1 FROM decider_outcomes WHERE command_id = %s",
                                 (str(command_id),))
        return await cur.fetchone() is not None
