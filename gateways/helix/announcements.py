"""Send Chat Announcement: a message the channel's decider posts as an announcement, with its
colour; only the broadcaster and moderators may (anyone else 403, decided by the channel)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from gateways.auth import Principal
from gateways.helix.api import HelixQuery, acting_user, helix, require_scope
from gateways.helix.chat import sender_in
from gateways.helix.staff import ModeratorQuery
from gateways.queries import Refusal

ANNOUNCE_SCOPE = "moderator:manage:announcements"


class AnnouncementBody(HelixQuery):
    message: Annotated[str, Field(min_length=1, max_length=500), Refusal(
        "invalid_parameter", "message is 1 to 500 characters")]
    color: Annotated[Literal["primary", "blue", "green", "orange", "purple"], Refusal(
        "invalid_parameter", "color is one of primary, blue, green, orange and purple")
    ] = "primary"


@helix
async def send_announcement(request: Request, caller: Principal) -> Response:
    require_scope(caller, ANNOUNCE_SCOPE)
    query = ModeratorQuery.of(request)
    acting_user(caller, query.moderator_id, "moderator_id")
    body = await AnnouncementBody.taken(request)
    poster, name, color = await sender_in(request, caller, query.broadcaster_id)
    await poster.submit(poster.command(caller, name, body.message, color,
                                       announcement=body.color))
    return Response(status_code=204)
