"""The channel a Helix request names by its broadcaster's id, and whether the caller is on its
staff (its broadcaster, one of its moderators, or a platform admin)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar
from uuid import UUID

from psycopg import AsyncConnection
from pydantic import Field

from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, acting_user, user_of
from gateways.helix.params import UserIds
from gateways.pagination import First, NameCursor
from gateways.queries import Refusal
from projections import helix_reads

BroadcasterId = Annotated[UUID, Field(description="the broadcaster's user id"), Refusal(
    "invalid_parameter", "broadcaster_id must be a user's id")]
ModeratorId = Annotated[UUID, Field(description="the token's user: the broadcaster or one of "
                                    "its moderators"), Refusal(
    "invalid_parameter", "moderator_id must be a user's id")]
TargetId = Annotated[UUID, Field(description="a user's id"), Refusal(
    "invalid_parameter", "user_id must be a user's id")]


class ModeratorQuery(HelixQuery):
    broadcaster_id: BroadcasterId
    moderator_id: ModeratorId


class BroadcasterUsersQuery(HelixQuery):
    """A page of the broadcaster's users in name order, or only those named by user_id."""

    REPEATED: ClassVar[frozenset[str]] = frozenset({"user_id"})

    broadcaster_id: BroadcasterId
    user_id: UserIds = Field(default_factory=list)
    first: First = 20
    after: NameCursor = None


async def channel_of(conn: AsyncConnection[Any], broadcaster_id: UUID) -> dict[str, Any]:
    found = await helix_reads.channels_of(conn, [str(broadcaster_id)])
    if not found:
        raise ApiError(400, "invalid_parameter", "broadcaster_id names no channel")
    return found[0]


async def on_staff(conn: AsyncConnection[Any], caller: Principal, channel: dict[str, Any]
                   ) -> bool:
    if caller.user_id is None:
        return False
    return (caller.admin or str(channel["owner_id"]) == caller.user_id
            or await helix_reads.moderates(conn, channel["channel"], caller.user_id))


async def staff_channel(conn: AsyncConnection[Any], caller: Principal, broadcaster_id: UUID
                        ) -> dict[str, Any]:
    """The channel, when the caller is on its staff; 403 as on Twitch when not."""
    channel = await channel_of(conn, broadcaster_id)
    if not await on_staff(conn, caller, channel):
        raise ApiError(403, "forbidden", "the user in moderator_id is not one of the "
                       "broadcaster's moderators")
    return channel


async def target_user(conn: AsyncConnection[Any], user_id: UUID) -> dict[str, Any]:
    found = await helix_reads.users(conn, [str(user_id)], [])
    if not found:
        raise ApiError(400, "invalid_parameter", "user_id names no user")
    return found[0]


def broadcaster_user(caller: Principal, broadcaster_id: UUID) -> str:
    """The token's user, who must be the broadcaster (401, as on Twitch) unless they are a
    platform admin."""
    return user_of(caller) if caller.admin else acting_user(caller, broadcaster_id,
                                                            "broadcaster_id")


async def own_channel(conn: AsyncConnection[Any], caller: Principal, broadcaster_id: UUID
                      ) -> dict[str, Any]:
    """The broadcaster's channel, to the broadcaster (or a platform admin)."""
    broadcaster_user(caller, broadcaster_id)
    return await channel_of(conn, broadcaster_id)
