"""Who is calling: the bearer token resolved against the authorization server's store."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request

from gateways.errors import ApiError
from gateways.oauth.models import digest
from gateways.oauth.scopes import ADMIN_SCOPE


@dataclass(frozen=True)
class Principal:
    client_id: str
    scopes: frozenset[str]
    first_party: bool
    user_id: str | None = None
    username: str | None = None
    admin_role: bool = False
    expires_at: float = 0.0  # epoch s

    @property
    def admin(self) -> bool:
        """Admin powers need the role and a first-party token that carries the admin scope."""
        return self.admin_role and self.first_party and ADMIN_SCOPE in self.scopes


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("invalid_token", "use 'Authorization: Bearer <token>'")
    return token.strip()


async def authenticate(pool: AsyncConnectionPool[Any], token: str) -> Principal:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT t.client_id, t.scope, c.first_party, t.user_id, u.username, t.issued_at, "
            "t.expires_in, t.revoked, EXISTS (SELECT 1 FROM user_roles r "
            "WHERE r.user_id = t.user_id AND r.role = 'admin') "
            "FROM oauth_tokens t JOIN oauth_clients c USING (client_id) "
            "LEFT JOIN users u USING (user_id) WHERE t.access_token_hash = %s",
            (digest(token),),
        )
        row = await cur.fetchone()
    if row is None:
        raise _unauthorized("invalid_token", "the access token is not known")
    client_id, scope, first_party, user_id, username, issued_at, expires_in, revoked, admin = row
    expires_at = issued_at.timestamp() + expires_in
    if revoked or time.time() >= expires_at:
        raise _unauthorized("invalid_token", "the access token has expired or was revoked")
    return Principal(client_id, frozenset(scope.split()), first_party,
                     str(user_id) if user_id else None, username, bool(admin), expires_at)


async def principal(request: Request) -> Principal | None:
    """The caller, or None when anonymous. A bad token is an error, never anonymous."""
    token = bearer_token(request)
    if token is None:
        return None
    pool: AsyncConnectionPool[Any] = request.app.state.services.pool
    return await authenticate(pool, token)


async def require_user(request: Request, scope: str | None = None) -> Principal:
    """A signed-in user whose token carries `scope` (when one is named)."""
    caller = await principal(request)
    if caller is None or caller.user_id is None:
        raise _unauthorized("unauthorized", "sign in: this needs a user's bearer token")
    if scope is not None and scope not in caller.scopes:
        raise _insufficient_scope(scope)
    return caller


async def require_admin(request: Request) -> Principal:
    caller = await require_user(request)
    if not caller.admin_role:
        raise ApiError(403, "forbidden", "only a platform admin may do this")
    if not caller.admin:
        raise _insufficient_scope(ADMIN_SCOPE)
    return caller


def _insufficient_scope(scope: str) -> ApiError:
    return ApiError(403, "insufficient_scope", f"the token lacks the scope {scope!r}",
                    headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", '
                                                 f'scope="{scope}"'})


def _unauthorized(error: str, message: str) -> ApiError:
    return ApiError(401, error, message,
                    headers={"WWW-Authenticate": f'Bearer error="{error}"'})
