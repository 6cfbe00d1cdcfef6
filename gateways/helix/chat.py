"""Send Chat Message, Get Chat Settings and Update Chat Settings. A message takes the path a
chat socket's does (gateways.chat_posting): the channel's decider holds it to the chat's rules,
and a refusal is answered as Twitch does, `is_sent` false with the NOTICE msg-id IRC would give.
Chat settings are Castline's chat modes, read from the decider's state and changed with the
SetChatModes command (Helix's PATCH changes only what it names)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from events.chat_moderation import SetChatModes
from gateways.auth import Principal
from gateways.chat_colors import chat_color
from gateways.chat_posting import ChatPoster
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, acting_user, helix, page, require_scope
from gateways.helix.staff import BroadcasterId, ModeratorQuery, channel_of, on_staff, target_user
from gateways.irc.notices import twitch_refusal
from gateways.queries import Refusal
from gateways.state import Services
from projections.chat_rooms import chat_modes

SEND_SCOPE = "user:write:chat"
READ_SETTINGS = "moderator:read:chat_settings"
MANAGE_SETTINGS = "moderator:manage:chat_settings"
MAX_FOLLOW_MIN = 129_600  # Twitch's longest follower_mode_duration: 90 days


class MessageFields(HelixQuery):
    broadcaster_id: BroadcasterId
    sender_id: Annotated[UUID, Field(description="the token's user"), Refusal(
        "invalid_parameter", "sender_id must be a user's id")]
    message: Annotated[str, Field(min_length=1, max_length=500), Refusal(
        "invalid_parameter", "message is 1 to 500 characters")]
    reply_parent_message_id: Annotated[str | None, Field(
        min_length=1, max_length=64, description="a message of the channel's last six hours"),
        Refusal("invalid_parameter", "reply_parent_message_id must be a message's id")] = None
    for_source_only: bool | None = None


async def sender_in(request: Request, caller: Principal, broadcaster_id: UUID
                    ) -> tuple[ChatPoster, str, str]:
    """A poster into the broadcaster's chat for the caller, and the caller's display name and
    chat colour."""
    services = Services.of(request)
    async with services.pool.connection() as conn:
        channel = (await channel_of(conn, broadcaster_id))["channel"]
        sender = await target_user(conn, UUID(str(caller.user_id)))
    poster = ChatPoster(services, channel)
    await poster.refresh_standing(str(caller.user_id))
    return poster, sender["display_name"], chat_color(sender["chat_color"], str(caller.user_id))


@helix
async def send_message(request: Request, caller: Principal) -> Response:
    require_scope(caller, SEND_SCOPE)
    fields = await MessageFields.taken(request)
    acting_user(caller, fields.sender_id, "sender_id")
    poster, name, color = await sender_in(request, caller, fields.broadcaster_id)
    channel = poster.channel
    try:
        reply = await poster.replied_to(fields.reply_parent_message_id)
    except ApiError as unknown:
        if unknown.status != 422:
            raise
        raise ApiError(400, "invalid_parameter", unknown.message) from unknown
    # An app acting with user:write:chat spends none of the user's bits.
    command = poster.command(caller, name, fields.message, color, reply, cheers=False)
    try:
        await poster.submit(command)
    except ApiError as refused:
        if refused.status not in (422, 429):
            raise
        code, message = twitch_refusal(channel, refused)
        return page([{"message_id": "", "is_sent": False,
                      "drop_reason": {"code": code, "message": message}}])
    return page([{"message_id": command.message_id, "is_sent": True, "drop_reason": None}])


class SettingsQuery(HelixQuery):
    broadcaster_id: BroadcasterId
    moderator_id: Annotated[UUID | None, Field(description="the token's user, to see the "
                                               "settings only moderators see"), Refusal(
        "invalid_parameter", "moderator_id must be a user's id")] = None


def helix_settings(broadcaster_id: UUID, modes: dict[str, Any],
                   moderator_id: str | None) -> dict[str, Any]:
    follow_s = modes["followers_only_s"]
    settings: dict[str, Any] = {
        "broadcaster_id": str(broadcaster_id), "emote_mode": modes["emote_only"],
        "follower_mode": follow_s is not None,
        "follower_mode_duration": None if follow_s is None else follow_s // 60,
        "slow_mode": modes["slow_mode_s"] > 0,
        "slow_mode_wait_time": modes["slow_mode_s"] or None,
        "subscriber_mode": modes["subscriber_only"], "unique_chat_mode": False}
    if moderator_id is not None:
        settings.update(moderator_id=moderator_id, non_moderator_chat_delay=False,
                        non_moderator_chat_delay_duration=None)
    return settings


@helix
async def chat_settings(request: Request, caller: Principal) -> Response:
    """With moderator_id (the token's user, on the channel's staff, moderator:read:chat_settings
    or moderator:manage:chat_settings), the settings only moderators see come too."""
    query = SettingsQuery.of(request)
    async with Services.of(request).pool.connection() as conn:
        channel = await channel_of(conn, query.broadcaster_id)
        moderator = None
        if query.moderator_id is not None:
            moderator = acting_user(caller, query.moderator_id, "moderator_id")
            if not caller.scopes & {READ_SETTINGS, MANAGE_SETTINGS}:
                require_scope(caller, READ_SETTINGS)
            if not await on_staff(conn, caller, channel):
                raise ApiError(403, "forbidden", "the user in moderator_id is not one of the "
                               "broadcaster's moderators")
        modes = await chat_modes(conn, channel["channel"])
    return page([helix_settings(query.broadcaster_id, modes, moderator)])


class SettingsPatch(HelixQuery):
    emote_mode: bool | None = None
    follower_mode: bool | None = None
    follower_mode_duration: Annotated[int | None, Field(ge=0, le=MAX_FOLLOW_MIN), Refusal(
        "invalid_parameter", "follower_mode_duration is 0 to 129600 minutes")] = None
    slow_mode: bool | None = None
    slow_mode_wait_time: Annotated[int | None, Field(ge=3, le=120), Refusal(
        "invalid_parameter", "slow_mode_wait_time is 3 to 120 seconds")] = None
    subscriber_mode: bool | None = None
    unique_chat_mode: Annotated[bool | None, Field(description="only false: Castline has no "
                                                   "unique-chat mode")] = None
    non_moderator_chat_delay: Annotated[bool | None, Field(description="only false")] = None
    non_moderator_chat_delay_duration: int | None = None


def patched(modes: dict[str, Any], patch: SettingsPatch) -> dict[str, Any]:
    """Castline's modes with the patch's changes; what Castline has no mode for is 400."""
    if patch.unique_chat_mode or patch.non_moderator_chat_delay:
        raise ApiError(400, "invalid_parameter", "Castline's chat has no unique-chat mode nor "
                       "chat delay: they can only be false")
    follow_s = modes["followers_only_s"]
    if patch.follower_mode is not None or patch.follower_mode_duration is not None:
        on = patch.follower_mode if patch.follower_mode is not None else True
        minutes = patch.follower_mode_duration
        follow_s = None if not on else (minutes * 60 if minutes is not None
                                        else follow_s if follow_s is not None else 0)
    slow_s = modes["slow_mode_s"]
    if patch.slow_mode is not None or patch.slow_mode_wait_time is not None:
        on = patch.slow_mode if patch.slow_mode is not None else True
        slow_s = (patch.slow_mode_wait_time or slow_s or 30) if on else 0
    return {"slow_mode_s": slow_s, "followers_only_s": follow_s,
            "subscriber_only": _given(patch.subscriber_mode, modes["subscriber_only"]),
            "emote_only": _given(patch.emote_mode, modes["emote_only"])}


def _given(value: bool | None, current: bool) -> bool:
    return current if value is None else value


@helix
async def update_chat_settings(request: Request, caller: Principal) -> Response:
    require_scope(caller, MANAGE_SETTINGS)
    query = ModeratorQuery.of(request)
    moderator = acting_user(caller, query.moderator_id, "moderator_id")
    patch = await SettingsPatch.taken(request)
    services = Services.of(request)
    async with services.pool.connection() as conn:
        channel = (await channel_of(conn, query.broadcaster_id))["channel"]
        modes = patched(await chat_modes(conn, channel), patch)
    await services.commands.submit(SetChatModes(
        channel=channel, actor_id=moderator, actor_admin=caller.admin, **modes))
    return page([helix_settings(query.broadcaster_id, modes, moderator)])

