"""Start a Raid and Cancel a Raid: Castline's raids (gateways.raids), decided by the raiding
channel's decider, refused with Twitch's statuses."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from events.raids import CancelRaid
from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, helix, page, require_scope
from gateways.helix.params import rfc3339
from gateways.helix.staff import BroadcasterId, broadcaster_user
from gateways.queries import Refusal
from gateways.raids import RAIDS_SCOPE, raid
from gateways.state import Services
from projections.raid_reads import raid_party

# Twitch answers 400 for a raid it will not start, 409 for one already counting down.
REFUSED = {"cannot_raid_self": "The broadcaster may not raid themselves",
           "not_live": "The broadcaster must be live to raid",
           "target_offline": "The targeted channel is not live",
           "raids_refused": "The targeted channel doesn't accept raids from this channel"}


class RaidQuery(HelixQuery):
    from_broadcaster_id: Annotated[UUID, Field(description="the raiding broadcaster: the "
                                               "token's user"), Refusal(
        "invalid_parameter", "from_broadcaster_id must be a user's id")]
    to_broadcaster_id: Annotated[UUID, Field(description="the broadcaster to raid"), Refusal(
        "invalid_parameter", "to_broadcaster_id must be a user's id")]


class CancelQuery(HelixQuery):
    broadcaster_id: BroadcasterId


async def _party(services: Services, user_id: UUID, missing: ApiError) -> dict[str, Any]:
    async with services.pool.connection() as conn:
        found = await raid_party(conn, owner_id=str(user_id))
    if found is None:
        raise missing
    return found


@helix
async def start_raid(request: Request, caller: Principal) -> Response:
    require_scope(caller, RAIDS_SCOPE)
    query = RaidQuery.of(request)
    broadcaster_user(caller, query.from_broadcaster_id)
    services = Services.of(request)
    raider = await _party(services, query.from_broadcaster_id, ApiError(
        400, "invalid_parameter", "from_broadcaster_id names no channel"))
    target = await _party(services, query.to_broadcaster_id, ApiError(
        404, "not_found", "The targeted channel was not found"))
    try:
        started = await raid(services, caller, raider, target)
    except ApiError as refused:
        if refused.error in REFUSED:
            raise ApiError(400, refused.error, REFUSED[refused.error]) from refused
        if refused.error == "already_raiding":
            raise ApiError(409, refused.error, "The broadcaster is already in the process of "
                                               "raiding another channel") from refused
        raise
    return page([{"created_at": rfc3339(started.command.issued_at), "is_mature": False}])


@helix
async def cancel_raid(request: Request, caller: Principal) -> Response:
    require_scope(caller, RAIDS_SCOPE)
    query = CancelQuery.of(request)
    actor = broadcaster_user(caller, query.broadcaster_id)
    services = Services.of(request)
    raider = await _party(services, query.broadcaster_id, ApiError(
        400, "invalid_parameter", "broadcaster_id names no channel"))
    try:
        await services.commands.submit(CancelRaid(
            channel=raider["channel"], actor_id=actor, actor_admin=caller.admin))
    except ApiError as refused:
        if refused.error == "raid_not_found":
            raise ApiError(404, refused.error, "The broadcaster doesn't have a pending raid "
                                               "to cancel") from refused
        raise
    return Response(status_code=204)
