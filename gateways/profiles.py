"""The signed-in user's profile (display name, bio, image) and platform roles.

No invariant spans these changes, so the gateway appends the events itself (202) rather than
asking a decider.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.users import UserProfileUpdated, UserRoleGranted
from gateways.auth import require_admin, require_user
from gateways.bodies import MULTILINE, Body, parse_body, read_limited
from gateways.chat_colors import HEX, MIN_CONTRAST, contrast, readable
from gateways.images import MAX_IMAGE_BYTES, checked_image, store
from gateways.responses import appended
from gateways.state import Services
from gateways.users import existing_user


def _readable(color: str) -> str:
    if not HEX.match(color):
        raise ValueError("a chat colour is #rrggbb")
    if not readable(color):
        raise ValueError(f"{color} is too dark to read on the dark background (contrast "
                         f"{contrast(color):.1f}, at least {MIN_CONTRAST} is needed)")
    return color.lower()


class ProfilePatch(Body):
    display_name: Annotated[str, Field(min_length=1, max_length=25)] | None = None
    bio: Annotated[str | None, Field(max_length=300, json_schema_extra=MULTILINE)] = None
    chat_color: Annotated[str, Field(max_length=7), AfterValidator(_readable)] | None = None

    @model_validator(mode="after")
    def something_to_change(self) -> ProfilePatch:
        if (self.display_name, self.bio, self.chat_color) == (None, None, None):
            raise ValueError("give at least one of display_name, bio, chat_color")
        return self


async def _append(request: Request, event: UserProfileUpdated | UserRoleGranted,
                  data: dict[str, object]) -> Response:
    position = await Services.of(request).producer.send(event)
    return JSONResponse(appended(str(event.event_id), position, data), status_code=202)


async def update_profile(request: Request) -> Response:
    caller = await require_user(request, "user:edit")
    body = await parse_body(request, ProfilePatch)
    event = UserProfileUpdated(user_id=str(caller.user_id), display_name=body.display_name,
                               bio=body.bio, chat_color=body.chat_color)
    return await _append(request, event, body.model_dump(exclude_none=True))


async def upload_profile_image(request: Request) -> Response:
    caller = await require_user(request, "user:edit")
    declared = request.headers.get("content-type", "").split(";")[0].strip()
    data = await read_limited(request, MAX_IMAGE_BYTES)
    kind = checked_image(declared, data)
    services = Services.of(request)
    name = await asyncio.to_thread(store, services.settings.objects, kind, data)
    url = f"{services.settings.media_base_url}/{name}"
    event = UserProfileUpdated(user_id=str(caller.user_id), profile_image_url=url)
    return await _append(request, event, {"profile_image_url": url})


class RoleGrant(Body):
    role: Literal["admin"]


async def grant_role(request: Request) -> Response:
    caller = await require_admin(request)
    body = await parse_body(request, RoleGrant)
    user_id, username = await existing_user(request, request.path_params["username"], None)
    event = UserRoleGranted(user_id=user_id, role=body.role, by_user_id=caller.user_id)
    return await _append(request, event, {"username": username, "role": body.role})
