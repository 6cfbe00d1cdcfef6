"""Get Channel Information and Modify Channel Information: a channel named by its broadcaster's
user id; a change is Castline's UpdateChannelInfo, decided by the channel's decider (the
broadcaster or a platform admin may)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar
from uuid import UUID

from psycopg import AsyncConnection
from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from events.channel_commands import UpdateChannelInfo
from gateways.auth import Principal
from gateways.bodies import Body, parse_body
from gateways.channels import Language, Tag, Title
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, helix, page, require_scope
from gateways.helix.params import UserIds
from gateways.queries import Query, Refusal
from gateways.reads import wait_for_decided
from gateways.state import Services
from projections import helix_reads

SCOPE = "channel:manage:broadcast"


class ChannelsQuery(HelixQuery):
    REPEATED: ClassVar[frozenset[str]] = frozenset({"broadcaster_id"})

    broadcaster_id: Annotated[UserIds, Field(min_length=1)]


class BroadcasterQuery(Query):
    broadcaster_id: Annotated[UUID, Field(description="the broadcaster's user id"), Refusal(
        "invalid_parameter", "broadcaster_id must be a user's id")]


class ChannelPatch(Body):
    game_id: Annotated[str, Field(pattern=r"^[0-9]{0,9}$")] | None = None
    title: Title | None = None
    broadcaster_language: Language | None = None
    tags: Annotated[list[Tag], Field(max_length=10)] | None = None


def helix_channel(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "broadcaster_id": str(row["owner_id"]), "broadcaster_login": row["channel"],
        "broadcaster_name": row["display_name"],
        "broadcaster_language": row["language"] or "other",
        "game_id": str(row["game_id"] or ""), "game_name": row["category"],
        "title": row["title"], "delay": 0, "tags": list(row["tags"]),
        "content_classification_labels": [], "is_branded_content": False,
    }


@helix
async def get_channels(request: Request, _caller: Principal) -> Response:
    query = ChannelsQuery.of(request)
    async with Services.of(request).reads.connection() as conn:
        rows = await helix_reads.channels_of(conn, [str(i) for i in query.broadcaster_id])
    return page([helix_channel(row) for row in rows])


@helix
async def modify_channel(request: Request, caller: Principal) -> Response:
    require_scope(caller, SCOPE)
    broadcaster = str(BroadcasterQuery.of(request).broadcaster_id)
    body = await parse_body(request, ChannelPatch)
    if body == ChannelPatch():
        raise ApiError(400, "invalid_body", "give at least one of game_id, title, "
                       "broadcaster_language, tags")
    services = Services.of(request)
    async with services.pool.connection() as conn:
        found = await helix_reads.channels_of(conn, [broadcaster])
        category = await _category(conn, body.game_id)
    if not found:
        raise ApiError(400, "invalid_parameter", "broadcaster_id names no channel")
    decided = await services.commands.submit(UpdateChannelInfo(
        channel=found[0]["channel"], title=body.title, category=category,
        actor_id=caller.user_id, actor_admin=caller.admin, tags=body.tags,
        language=body.broadcaster_language))
    # Helix has no min_position: the change is readable by Get Channel Information, as on
    # Twitch, before the 204 says it is done.
    await wait_for_decided(services.reads, decided, services.settings.read_wait_max_s)
    return Response(status_code=204)


async def _category(conn: AsyncConnection[Any], game_id: str | None) -> str | None:
    if game_id is None:
        return None
    if game_id in ("", "0"):
        raise ApiError(400, "invalid_body", "a Castline channel always has a category: "
                       "game_id cannot unset it")
    found = await helix_reads.categories(conn, [int(game_id)], [])
    if not found:
        raise ApiError(400, "invalid_body", f"game_id {game_id} names no category")
    return str(found[0]["name"])
