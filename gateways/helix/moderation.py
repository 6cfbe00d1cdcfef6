"""Ban User, Unban User and Delete Chat Messages: Castline's ModerateChat command (a ban, a
timeout when a duration is given, an unban, a message's deletion or the chat's clearing),
decided by the channel's decider, which checks who may act on whom (403 when not)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from events.chat_moderation import ModerateChat
from gateways.auth import Principal
from gateways.bodies import Body, parse_body
from gateways.errors import ApiError
from gateways.helix.api import acting_user, helix, page, require_scope
from gateways.helix.params import rfc3339
from gateways.helix.staff import ModeratorQuery, TargetId, channel_of, target_user
from gateways.message_authors import DELETABLE_S, author_of
from gateways.queries import Refusal
from gateways.state import Services

BANS_SCOPE = "moderator:manage:banned_users"
MESSAGES_SCOPE = "moderator:manage:chat_messages"
MAX_TIMEOUT_S = 1_209_600  # two weeks


class Ban(Body):
    user_id: Annotated[UUID, Field(strict=False)]
    duration: Annotated[int, Field(ge=1, le=MAX_TIMEOUT_S)] | None = None
    reason: Annotated[str, Field(max_length=500)] | None = None


class BanBody(Body):
    data: Ban


class UnbanQuery(ModeratorQuery):
    user_id: TargetId


class DeleteQuery(ModeratorQuery):
    message_id: Annotated[str | None, Field(
        description="the message to delete; without it, every message is cleared"), Refusal(
        "invalid_parameter", "message_id must be a message's id")] = None


async def _moderate(request: Request, caller: Principal, query: ModeratorQuery,
                    **fields: Any) -> ModerateChat:
    """The command, decided once the moderator is the token's user."""
    moderator = acting_user(caller, query.moderator_id, "moderator_id")
    services = Services.of(request)
    async with services.pool.connection() as conn:
        channel = (await channel_of(conn, query.broadcaster_id))["channel"]
        target = fields.pop("target", None)
        if target is not None:
            user = await target_user(conn, target)
            fields.update(target_user_id=str(user["user_id"]), target_username=user["username"])
    if fields["action"] == "delete":
        fields["target_user_id"] = await _author(services, channel, str(fields["message_id"]))
    command = ModerateChat(channel=channel, actor_id=moderator, actor_admin=caller.admin,
                           **fields)
    await services.commands.submit(command)
    return command


async def _author(services: Services, channel: str, message_id: str) -> str:
    author = await author_of(services.redis, channel, message_id)
    if author is None:
        raise ApiError(404, "message_not_found", f"no message {message_id!r} in this chat "
                       f"within the last {DELETABLE_S // 3600} hours")
    return author


@helix
async def ban_user(request: Request, caller: Principal) -> Response:
    """A duration makes it a timeout; the answer tells when it ends."""
    require_scope(caller, BANS_SCOPE)
    query = ModeratorQuery.of(request)
    ban = (await parse_body(request, BanBody)).data
    action = "ban" if ban.duration is None else "timeout"
    command = await _moderate(request, caller, query, action=action, target=ban.user_id,
                              duration_s=ban.duration, reason=ban.reason)
    at = command.issued_at
    return page([{"broadcaster_id": str(query.broadcaster_id),
                  "moderator_id": str(query.moderator_id), "user_id": str(ban.user_id),
                  "created_at": rfc3339(at),
                  "end_time": None if ban.duration is None
                  else rfc3339(at + timedelta(seconds=ban.duration))}])


@helix
async def unban_user(request: Request, caller: Principal) -> Response:
    require_scope(caller, BANS_SCOPE)
    query = UnbanQuery.of(request)
    await _moderate(request, caller, query, action="unban", target=query.user_id)
    return Response(status_code=204)


@helix
async def delete_messages(request: Request, caller: Principal) -> Response:
    require_scope(caller, MESSAGES_SCOPE)
    query = DeleteQuery.of(request)
    if query.message_id is None:
        await _moderate(request, caller, query, action="clear")
    else:
        await _moderate(request, caller, query, action="delete", message_id=query.message_id)
    return Response(status_code=204)
