"""Get Users: users by `id` and `login` (up to 100 in all), or else the token's own user."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, helix, page
from gateways.helix.params import MAX_ITEMS, Logins, UserIds, rfc3339
from gateways.state import Services
from projections import helix_reads


class UsersQuery(HelixQuery):
    REPEATED: ClassVar[frozenset[str]] = frozenset({"id", "login"})

    id: UserIds = Field(default_factory=list)
    login: Logins = Field(default_factory=list)


def helix_user(row: dict[str, Any], caller: Principal) -> dict[str, Any]:
    user = {"id": str(row["user_id"]), "login": row["username"],
            "display_name": row["display_name"], "type": "",
            "broadcaster_type": "", "description": row["bio"] or "",
            "profile_image_url": row["profile_image_url"] or "", "offline_image_url": "",
            "view_count": 0, "created_at": rfc3339(row["created_at"])}
    if user["id"] == caller.user_id and "user:read:email" in caller.scopes:
        user["email"] = row["email"]
    return user


@helix
async def get_users(request: Request, caller: Principal) -> Response:
    query = UsersQuery.of(request)
    if len(query.id) + len(query.login) > MAX_ITEMS:
        raise ApiError(400, "invalid_parameter", "at most 100 ids and logins in all")
    ids = [str(user_id) for user_id in query.id]
    if not ids and not query.login:
        if caller.user_id is None:
            raise ApiError(400, "invalid_parameter", "Must provide an ID, Login or OAuth Token")
        ids = [caller.user_id]
    async with Services.of(request).reads.connection() as conn:
        rows = await helix_reads.users(conn, ids, [login.lower() for login in query.login])
    return page([helix_user(row, caller) for row in rows])
