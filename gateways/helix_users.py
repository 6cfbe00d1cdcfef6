"""GET /helix/users in Twitch Helix's shape: the caller's own user, or one named by `login` or
`id`. Chat bot libraries (twitchAPI) look their bot's login up there at start."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.auth import require_user
from gateways.queries import Query
from gateways.state import Services
from projections.user_reads import get_account, get_user


class UsersQuery(Query):
    login: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,25}$")] | None = None
    id: UUID | None = None


def helix_user(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(row["user_id"]), "login": row["username"],
            "display_name": row["display_name"], "type": "",
            "broadcaster_type": "", "description": row["bio"] or "",
            "profile_image_url": row["profile_image_url"] or "", "offline_image_url": "",
            "view_count": 0, "created_at": row["created_at"].strftime("%Y-%m-%dT%H:%M:%SZ")}


async def users(request: Request) -> Response:
    query = UsersQuery.of(request)
    user_id = None if query.login or query.id else (await require_user(request)).user_id
    async with Services.of(request).reads.connection() as conn:
        if query.login:
            row = await get_user(conn, query.login.lower())
        else:
            row = await get_account(conn, str(query.id or user_id))
    return JSONResponse({"data": [helix_user(row)] if row else []})
