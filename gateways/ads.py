"""Ads over HTTP: the broadcaster starts a break or sets a schedule; players report impressions
with their player token.

Every one is decided by the channel's decider. The rates (CPM, the creator's share, the
cooldown) are this gateway's settings, carried by the command and fixed by the break's event.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.ads import MAX_BREAK_S, MIN_BREAK_S, RecordAdImpression, SetAdSchedule, StartAdBreak
from events.outcomes import CommandDecided
from gateways.auth import principal, require_user
from gateways.bodies import Body, parse_body
from gateways.errors import ApiError
from gateways.player_tokens import client_address
from gateways.responses import written
from gateways.state import Services
from gateways.viewing import PlayerToken
from gateways.watching import first_impression, last_heard, release_impression
from projections.subscription_reads import subscriber_tier

SCOPE = "channel:edit:commercial"
BreakLength = Annotated[int, Field(ge=MIN_BREAK_S, le=MAX_BREAK_S)]


class AdBreakRequest(Body):
    duration_s: BreakLength


class AdSchedule(Body):
    every_min: Annotated[int, Field(ge=0, le=24 * 60)]  # 0: no scheduled breaks
    duration_s: BreakLength = 60


class Impression(Body):
    player_token: PlayerToken


async def start_break(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, AdBreakRequest)
    services, channel = Services.of(request), request.path_params["name"].lower()
    command = StartAdBreak(channel=channel, duration_s=body.duration_s,
                           actor_id=str(caller.user_id), actor_admin=caller.admin,
                           **services.settings.ad_rates())
    outcome = await services.commands.submit(command)
    break_id = str(uuid5(NAMESPACE_URL, f"ad-break:{command.command_id}"))
    ends_at = command.issued_at + timedelta(seconds=body.duration_s)
    return JSONResponse(written(outcome, {
        "channel": channel, "break_id": break_id, "duration_s": body.duration_s,
        "started_at": command.issued_at.isoformat(), "ends_at": ends_at.isoformat()}),
        status_code=201)


async def set_schedule(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, AdSchedule)
    channel = request.path_params["name"].lower()
    outcome = await Services.of(request).commands.submit(SetAdSchedule(
        channel=channel, every_min=body.every_min, duration_s=body.duration_s,
        actor_id=str(caller.user_id), actor_admin=caller.admin))
    return JSONResponse(written(outcome, {"channel": channel, **body.model_dump()}))


async def impression(request: Request) -> Response:
    """Counted once per viewer (a user, or an anonymous player) and break, and only when that
    viewer's heartbeat in the channel came during the break."""
    channel, break_id = request.path_params["name"].lower(), request.path_params["break_id"]
    if not _is_uuid(break_id):
        raise ApiError(404, "ad_break_not_found", f"no ad break {break_id!r} here")
    body = await parse_body(request, Impression)
    services, caller = Services.of(request), await principal(request)
    player = services.players.verify(body.player_token, channel, client_address(request))
    viewer = player.anonymous_viewer
    if caller is not None and caller.user_id is not None:
        viewer = caller.user_id
        if await ad_free(services, channel, caller.user_id):
            raise ApiError(403, "ad_free", "subscribers of this channel's tier see no ads")
    heard_at = await last_heard(services.redis, channel, viewer)
    if heard_at is None:
        raise ApiError(409, "not_watching", "this player sent no heartbeat in this channel")
    counted = await _counted(services, RecordAdImpression(
        channel=channel, break_id=break_id, viewer=viewer,
        grace_s=services.settings.ad_impression_grace_s, heard_at=heard_at))
    return JSONResponse({"data": {"channel": channel, "break_id": break_id,
                                  "counted": counted is not None},
                         "event_id": counted.event_ids[0] if counted else None,
                         "position": counted.positions[-1] if counted else None})


async def _counted(services: Services, command: RecordAdImpression) -> CommandDecided | None:
    """The decided impression; None when the viewer's impression of the break was counted
    already. A refusal frees the viewer's impression; a decision that did not come in time
    keeps it taken (it may yet be counted: better one lost than one paid twice)."""
    redis, admission = services.redis, services.admission
    if not await first_impression(redis, admission, command.channel, command.break_id,
                                  command.viewer):
        return None
    try:
        return await services.commands.submit(command)
    except ApiError as error:
        if error.status < 500:
            await release_impression(redis, command.channel, command.break_id, command.viewer)
        raise


async def ad_free(services: Services, channel: str, user_id: str) -> bool:
    """Whether the user's active subscription to the channel is of an ad-free tier."""
    async with services.pool.connection() as conn:
        tier = await subscriber_tier(conn, channel, user_id)
    return tier is not None and tier in services.settings.ad_free_tiers


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
