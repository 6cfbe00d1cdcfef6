"""Get Chatters, Get Moderators, Add Channel Moderator and Remove Channel Moderator.

Chatters are what Castline knows of who is in a channel: the signed-in users whose players
sent a heartbeat within the viewer window (the live viewer set in Redis); a chat socket or an
IRC connection that only reads is not counted. Moderators are the channel_moderators read
model, changed with AddModerator and RemoveModerator, which the channel's decider lets only the
broadcaster (or a platform admin) give."""

from __future__ import annotations

import time
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from events.channel_commands import AddModerator, RemoveModerator
from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, acting_user, helix, page, require_scope, user_of
from gateways.helix.staff import (
    BroadcasterId,
    BroadcasterUsersQuery,
    ModeratorQuery,
    TargetId,
    channel_of,
    own_channel,
    staff_channel,
    target_user,
)
from gateways.pagination import NameCursor, encode_cursor
from gateways.queries import Refusal
from gateways.state import Services
from projections import helix_staff_reads
from projections.viewers import viewers_key

CHATTERS_SCOPE = "moderator:read:chatters"
READ_SCOPE = "moderation:read"
MANAGE_SCOPE = "channel:manage:moderators"
MAX_CHATTERS_PAGE = 1000


class ChattersQuery(ModeratorQuery):
    first: Annotated[int, Field(ge=1, le=MAX_CHATTERS_PAGE), Refusal(
        "invalid_parameter", "first must be an integer from 1 to 1000")] = 100
    after: NameCursor = None


def _named(row: dict[str, Any]) -> dict[str, Any]:
    return {"user_id": str(row["user_id"]), "user_login": row["username"],
            "user_name": row["display_name"]}


def _paged(rows: list[dict[str, Any]], first: int, **extra: Any) -> Response:
    shown = rows[:first]
    cursor = encode_cursor(shown[-1]["username"]) if len(rows) > first else None
    return page([_named(row) for row in shown], cursor, **extra)


def _user_ids(members: list[Any]) -> list[str]:
    found = []
    for member in members:
        try:
            found.append(str(UUID(member.decode() if isinstance(member, bytes) else member)))
        except ValueError:  # an anonymous player
            continue
    return found


@helix
async def get_chatters(request: Request, caller: Principal) -> Response:
    require_scope(caller, CHATTERS_SCOPE)
    query = ChattersQuery.of(request)
    acting_user(caller, query.moderator_id, "moderator_id")
    services = Services.of(request)
    async with services.reads.connection() as conn:
        channel = (await staff_channel(conn, caller, query.broadcaster_id))["channel"]
        since = time.time() - services.settings.viewer_window_s
        members = await services.redis.zrangebyscore(viewers_key(channel), since, "+inf")
        total, rows = await helix_staff_reads.users_among(
            conn, _user_ids(members), query.first + 1, query.after)
    return _paged(rows, query.first, total=total)


@helix
async def get_moderators(request: Request, caller: Principal) -> Response:
    """To the broadcaster (or a platform admin), as on Twitch."""
    require_scope(caller, READ_SCOPE)
    query = BroadcasterUsersQuery.of(request)
    async with Services.of(request).reads.connection() as conn:
        channel = (await own_channel(conn, caller, query.broadcaster_id))["channel"]
        rows = await helix_staff_reads.moderators(
            conn, channel, [str(i) for i in query.user_id], query.first + 1, query.after)
    return _paged(rows, query.first)


class ModeratorChange(HelixQuery):
    broadcaster_id: BroadcasterId
    user_id: TargetId


# Twitch answers 400 for a moderator added twice or one removed who is not one.
_AS_TWITCH = {"moderator_exists": "the user is already a moderator",
              "moderator_not_found": "the user is not a moderator",
              "invalid_moderator": "the broadcaster cannot be their own moderator"}


async def _change(request: Request, caller: Principal,
                  kind: type[AddModerator | RemoveModerator]) -> Response:
    require_scope(caller, MANAGE_SCOPE)
    query = ModeratorChange.of(request)
    services = Services.of(request)
    async with services.pool.connection() as conn:
        channel = (await channel_of(conn, query.broadcaster_id))["channel"]
        user = await target_user(conn, query.user_id)
    try:
        await services.commands.submit(kind(
            channel=channel, user_id=str(user["user_id"]), username=user["username"],
            actor_id=user_of(caller), actor_admin=caller.admin))
    except ApiError as refused:
        if refused.error in _AS_TWITCH:
            raise ApiError(400, refused.error, _AS_TWITCH[refused.error]) from refused
        raise
    return Response(status_code=204)


@helix
async def add_moderator(request: Request, caller: Principal) -> Response:
    return await _change(request, caller, AddModerator)


@helix
async def remove_moderator(request: Request, caller: Principal) -> Response:
    return await _change(request, caller, RemoveModerator)
