"""Moderation over HTTP: bans and timeouts, deleting and clearing messages, chat modes.
The channel's decider checks who may act on whom; the results reach every socket."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.chat_moderation import ModerateChat, SetBlockedTerms, SetChatModes
from gateways.auth import Principal, require_user
from gateways.bodies import Body, parse_body
from gateways.errors import ApiError
from gateways.message_authors import DELETABLE_S, author_of
from gateways.responses import written
from gateways.state import Services
from gateways.users import existing_user

Username = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{4,25}$")]


class BanRequest(Body):
    username: Username
    duration_s: Annotated[int, Field(ge=1, le=14 * 24 * 3600)] | None = None
    reason: Annotated[str, Field(max_length=500)] | None = None
    hide_history: bool = True


class ChatSettings(Body):
    slow_mode_s: Annotated[int, Field(ge=0, le=120)] = 0
    followers_only_s: Annotated[int, Field(ge=0, le=90 * 24 * 3600)] | None = None
    subscriber_only: bool = False
    emote_only: bool = False


async def _moderate(request: Request, caller: Principal, **fields: object) -> Response:
    channel = request.path_params["name"].lower()
    command = ModerateChat(channel=channel, actor_id=str(caller.user_id),
                           actor_admin=caller.admin, **fields)  # type: ignore[arg-type]
    outcome = await Services.of(request).commands.submit(command)
    return JSONResponse(written(outcome, {"channel": channel, **fields}))


async def ban(request: Request) -> Response:
    caller = await require_user(request, "moderator:manage:banned_users")
    body = await parse_body(request, BanRequest)
    target, _ = await existing_user(request, body.username)
    action = "ban" if body.duration_s is None else "timeout"
    return await _moderate(request, caller, action=action, target_user_id=target,
                           target_username=body.username.lower(), duration_s=body.duration_s,
                           reason=body.reason, hide_history=body.hide_history)


async def unban(request: Request) -> Response:
    caller = await require_user(request, "moderator:manage:banned_users")
    username = request.path_params["username"].lower()
    target, _ = await existing_user(request, username)
    return await _moderate(request, caller, action="unban", target_user_id=target,
                           target_username=username)


async def delete_message(request: Request) -> Response:
    """The author goes with the command: the decider checks the caller's rank against them."""
    caller = await require_user(request, "moderator:manage:chat_messages")
    channel, message_id = request.path_params["name"].lower(), request.path_params["message_id"]
    author = await author_of(Services.of(request).redis, channel, message_id)
    if author is None:
        raise ApiError(404, "message_not_found", f"no message {message_id!r} in this chat "
                       f"within the last {DELETABLE_S // 3600} hours", "message_id")
    return await _moderate(request, caller, action="delete", message_id=message_id,
                           target_user_id=author)


async def clear_chat(request: Request) -> Response:
    caller = await require_user(request, "moderator:manage:chat_messages")
    return await _moderate(request, caller, action="clear")


async def change_settings(request: Request) -> Response:
    caller = await require_user(request, "moderator:manage:chat_settings")
    body = await parse_body(request, ChatSettings)
    channel = request.path_params["name"].lower()
    command = SetChatModes(channel=channel, actor_id=str(caller.user_id),
                           actor_admin=caller.admin, **body.model_dump())
    outcome = await Services.of(request).commands.submit(command)
    return JSONResponse(written(outcome, {"channel": channel, **body.model_dump()}))


class BlockedTerms(Body):
    terms: Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]],
                     Field(max_length=100)]


async def set_blocked_terms(request: Request) -> Response:
    caller = await require_user(request, "moderator:manage:chat_settings")
    body = await parse_body(request, BlockedTerms)
    channel = request.path_params["name"].lower()
    command = SetBlockedTerms(channel=channel, actor_id=str(caller.user_id),
                              actor_admin=caller.admin, terms=body.terms)
    outcome = await Services.of(request).commands.submit(command)
    return JSONResponse(written(outcome, {"channel": channel, "terms": body.terms}))
