"""Send a Shoutout: the channel's decider decides (its staff asks, it is live, Twitch's
cooldowns have passed); refused with Twitch's statuses."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from events.shoutouts import SendShoutout
from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, acting_user, helix, require_scope
from gateways.helix.staff import ModeratorId
from gateways.queries import Refusal
from gateways.state import Services
from projections.raid_reads import raid_party

SHOUTOUT_SCOPE = "moderator:manage:shoutouts"
# Twitch answers 400 for a shoutout it will not send, 429 for one too soon.
REFUSED = {"cannot_shoutout_self": (400, "The broadcaster may not give themselves a Shoutout"),
           "not_live": (400, "The broadcaster is not streaming live"),
           "shoutout_cooldown": (429, "The broadcaster may not send a Shoutout again yet: "
                                      "two minutes must pass between Shoutouts"),
           "shoutout_target_cooldown": (429, "The broadcaster may not shout out this "
                                             "broadcaster again within the hour")}


class ShoutoutQuery(HelixQuery):
    from_broadcaster_id: Annotated[UUID, Field(description="the broadcaster giving the "
                                               "shoutout"), Refusal(
        "invalid_parameter", "from_broadcaster_id must be a user's id")]
    to_broadcaster_id: Annotated[UUID, Field(description="the broadcaster shouted out"),
                                 Refusal("invalid_parameter",
                                         "to_broadcaster_id must be a user's id")]
    moderator_id: ModeratorId


async def _party(services: Services, user_id: UUID, field: str) -> dict[str, Any]:
    async with services.pool.connection() as conn:
        found = await raid_party(conn, owner_id=str(user_id))
    if found is None:
        raise ApiError(400, "invalid_parameter", f"The ID in {field} was not found")
    return found


@helix
async def send_shoutout(request: Request, caller: Principal) -> Response:
    require_scope(caller, SHOUTOUT_SCOPE)
    query = ShoutoutQuery.of(request)
    actor = acting_user(caller, query.moderator_id, "moderator_id")
    services = Services.of(request)
    sender = await _party(services, query.from_broadcaster_id, "from_broadcaster_id")
    target = await _party(services, query.to_broadcaster_id, "to_broadcaster_id")
    try:
        await services.commands.submit(SendShoutout(
            channel=sender["channel"], to_broadcaster_user_id=str(query.to_broadcaster_id),
            to_broadcaster_user_login=target["channel"],
            to_broadcaster_user_name=target["display_name"],
            viewer_count=sender["viewer_count"] if sender["live"] else 0,
            actor_id=actor, actor_admin=caller.admin))
    except ApiError as refused:
        if refused.error in REFUSED:
            status, message = REFUSED[refused.error]
            raise ApiError(status, refused.error, message) from refused
        raise
    return Response(status_code=204)
