"""Start Commercial and Get Ad Schedule: Castline's ad breaks (gateways.ads). A commercial is
the StartAdBreak command, decided by the channel's decider; the schedule is read from the
decider's state, where the break it last started and the one it will start next are kept."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from events.ads import MAX_BREAK_S, MIN_BREAK_S, StartAdBreak
from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, helix, page, require_scope
from gateways.helix.staff import BroadcasterId, broadcaster_user, channel_of, own_channel
from gateways.queries import Refusal
from gateways.state import Services
from projections.helix_money_reads import ad_schedule

COMMERCIAL_SCOPE = "channel:edit:commercial"
SCHEDULE_SCOPE = "channel:read:ads"


class CommercialFields(HelixQuery):
    broadcaster_id: BroadcasterId
    length: Annotated[int, Field(ge=MIN_BREAK_S, le=MAX_BREAK_S), Refusal(
        "invalid_parameter", f"length is {MIN_BREAK_S} to {MAX_BREAK_S} seconds")]


class ScheduleQuery(HelixQuery):
    broadcaster_id: BroadcasterId


@helix
async def start_commercial(request: Request, caller: Principal) -> Response:
    require_scope(caller, COMMERCIAL_SCOPE)
    fields = await CommercialFields.taken(request)
    actor = broadcaster_user(caller, fields.broadcaster_id)
    services = Services.of(request)
    async with services.pool.connection() as conn:
        channel = (await channel_of(conn, fields.broadcaster_id))["channel"]
    rates = services.settings.ad_rates()
    try:
        await services.commands.submit(StartAdBreak(
            channel=channel, duration_s=fields.length, actor_id=actor,
            actor_admin=caller.admin, **rates))
    except ApiError as refused:
        if refused.error == "channel_not_live":
            raise ApiError(400, refused.error, "the channel is not live") from refused
        raise
    return page([{"length": fields.length, "message": "",
                  "retry_after": fields.length + int(rates["cooldown_s"])}])


def helix_schedule(ads: dict[str, Any]) -> dict[str, Any]:
    """Times in epoch seconds, 0 for none, as Twitch answers them."""
    last = ads["breaks"][-1] if ads["breaks"] else None
    next_at = 0
    if ads["every_min"] and ads["live_since"] is not None:
        since = max(ads["live_since"], last["started"] if last else ads["live_since"])
        next_at = int(since + ads["every_min"] * 60)
    return {"next_ad_at": next_at, "last_ad_at": int(last["started"]) if last else 0,
            "duration": ads["schedule_duration_s"] if ads["every_min"] else 0,
            "preroll_free_time": 0, "snooze_count": 0, "snooze_refresh_at": 0}


@helix
async def get_ad_schedule(request: Request, caller: Principal) -> Response:
    require_scope(caller, SCHEDULE_SCOPE)
    query = ScheduleQuery.of(request)
    async with Services.of(request).pool.connection() as conn:
        channel = (await own_channel(conn, caller, query.broadcaster_id))["channel"]
        ads = await ad_schedule(conn, channel)
    return page([helix_schedule(ads)])
