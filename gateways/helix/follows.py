"""Get Channel Followers and Get Followed Channels, from the follows read model. As on Twitch,
a channel's followers are listed to its broadcaster, its moderators (and platform admins) with
moderator:read:followers; anyone else gets the total, and their own follow when they ask for
it by user_id."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from psycopg import AsyncConnection
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema
from starlette.requests import Request
from starlette.responses import Response

from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.helix.api import helix, page, require_scope
from gateways.helix.params import rfc3339
from gateways.helix.staff import on_staff
from gateways.pagination import First, TimeCursor, encode_cursor
from gateways.queries import Query, Refusal
from gateways.state import Services
from projections import helix_reads

UserId = Annotated[UUID | SkipJsonSchema[None], Field(description="a user's id"), Refusal(
    "invalid_parameter", "a user id is expected")]


class FollowersQuery(Query):
    broadcaster_id: Annotated[UUID, Field(description="the broadcaster's user id"), Refusal(
        "invalid_parameter", "broadcaster_id must be a user's id")]
    user_id: UserId = None
    first: First = 20
    after: TimeCursor = None


class FollowedQuery(Query):
    user_id: Annotated[UUID, Field(description="the token's user"), Refusal(
        "invalid_parameter", "user_id must be a user's id")]
    broadcaster_id: UserId = None
    first: First = 20
    after: TimeCursor = None


async def _sees_followers(conn: AsyncConnection[Any], caller: Principal,
                          channel: dict[str, Any]) -> bool:
    return "moderator:read:followers" in caller.scopes and await on_staff(conn, caller, channel)


@helix
async def channel_followers(request: Request, caller: Principal) -> Response:
    query = FollowersQuery.of(request)
    user = str(query.user_id) if query.user_id else None
    async with Services.of(request).reads.connection() as conn:
        found = await helix_reads.channels_of(conn, [str(query.broadcaster_id)])
        if not found:
            raise ApiError(400, "invalid_parameter", "broadcaster_id names no channel")
        sees = await _sees_followers(conn, caller, found[0])
        own = user is not None and user == caller.user_id
        # Whether someone else follows is not for just anyone to learn: the total they get is
        # the channel's, whatever user_id they name.
        total, rows = await helix_reads.followers(
            conn, found[0]["channel"], user if sees or own else None, query.first + 1,
            query.after)
    if not sees and not own:
        return page([], total=total)
    shown = rows[:query.first]
    cursor = (encode_cursor([shown[-1]["followed_at"].isoformat(), str(shown[-1]["user_id"])])
              if len(rows) > query.first else None)
    return page([{"user_id": str(row["user_id"]), "user_login": row["username"],
                  "user_name": row["display_name"], "followed_at": rfc3339(row["followed_at"])}
                 for row in shown], cursor, total=total)


@helix
async def followed_channels(request: Request, caller: Principal) -> Response:
    require_scope(caller, "user:read:follows")
    query = FollowedQuery.of(request)
    if str(query.user_id) != caller.user_id:
        raise ApiError(401, "unauthorized", "user_id must be the token's user")
    owner = str(query.broadcaster_id) if query.broadcaster_id else None
    async with Services.of(request).reads.connection() as conn:
        total, rows = await helix_reads.followed(conn, caller.user_id, owner, query.first + 1,
                                                 query.after)
    shown = rows[:query.first]
    cursor = (encode_cursor([shown[-1]["followed_at"].isoformat(), shown[-1]["channel"]])
              if len(rows) > query.first else None)
    return page([{"broadcaster_id": str(row["owner_id"]), "broadcaster_login": row["channel"],
                  "broadcaster_name": row["display_name"],
                  "followed_at": rfc3339(row["followed_at"])} for row in shown],
                cursor, total=total)
