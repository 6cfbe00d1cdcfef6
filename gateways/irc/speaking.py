"""PRIVMSG from a client: a chat message through the channel's decider, as the JSON chat posts
it, or one of Twitch's chat commands through the same moderation as HTTP, with the same
scopes. Every refusal is a NOTICE with Twitch's msg-id."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from events.base import Command
from events.channel_commands import AddModerator, RemoveModerator
from events.chat import SendChatMessage
from events.chat_moderation import ModerateChat, SetChatModes
from events.monetization import CheerBits
from gateways.auth import Principal
from gateways.chat_posting import posting_refusal
from gateways.errors import ApiError
from gateways.inputs import check_text
from gateways.irc.connection import Connection
from gateways.irc.legacy import (
    Announcement,
    LegacyCommand,
    ModeChange,
    Moderation,
    ModeratorChange,
    Unusable,
    parse_legacy,
    success,
)
from gateways.irc.notices import notice, refusal_notice
from gateways.irc.rooms import Room, user_state
from gateways.message_authors import author_of
from projections.chat_rooms import chat_modes
from projections.user_reads import get_user

ACTION = ("\x01ACTION ", "\x01")  # CTCP, as clients send "/me"


def said(text: str) -> str:
    """The text of a message, without the CTCP wrapper or "/me" of an action."""
    if text.startswith(ACTION[0]) and text.endswith(ACTION[1]):
        return text[len(ACTION[0]):-1]
    return text[4:] if text.startswith("/me ") else text


async def speak(connection: Connection, room: Room, text: str, reply_to: str | None = None
                ) -> Coroutine[None, None, None] | None:
    """A message is checked and made a command here; what is left, its submission, is
    returned to run in a task of its own (started in the order messages came, so they reach
    the decider in that order while the client's next lines are read). A chat command runs
    here to its end."""
    text = said(text)
    try:
        check_text(text, "text")
        command = parse_legacy(text)
        if command is None:
            return posted(connection, room,
                          await message_command(connection, room, text, reply_to))
        if isinstance(command, Announcement):
            return posted(connection, room, await message_command(
                connection, room, command.text, None, command.color))
        if isinstance(command, Unusable):
            await connection.send(notice(f"#{room.channel}", command.msg_id, command.text))
        else:
            await moderate(connection, room, command)
    except ApiError as refused:
        await connection.send(refusal_notice(room.channel, refused))
    return None


async def may_speak(connection: Connection) -> Principal:
    """The caller; raises the reason when they may not post now (anonymous, token lapsed...)."""
    identity = connection.identity
    lapsed = identity.token.lapsed() if identity and identity.token else None
    if lapsed is not None:
        raise lapsed
    caller = identity.caller if identity else None
    refused = posting_refusal(caller)
    if refused is not None or caller is None:
        raise refused or ApiError(401, "unauthorized", "sign in to chat")
    return caller


async def message_command(connection: Connection, room: Room, text: str, reply_to: str | None,
                          announcement: str = "") -> SendChatMessage | CheerBits:
    """reply_to: the id a client's reply-parent-msg-id tag names."""
    caller = await may_speak(connection)
    await room.poster.refresh_standing(str(caller.user_id))
    display_name = connection.identity.display_name if connection.identity else ""
    color = connection.identity.color if connection.identity else ""
    reply = await room.poster.replied_to(reply_to)
    command = room.poster.command(caller, display_name, text, color, reply, announcement)
    room.own.add(command.message_id)
    return command


async def posted(connection: Connection, room: Room, command: SendChatMessage | CheerBits
                 ) -> None:
    try:
        await room.poster.submit(command)
    except ApiError as refused:
        room.own.discard(command.message_id)
        await connection.send(refusal_notice(room.channel, refused))
        return
    await connection.send(user_state(connection, room.channel, False))


async def moderate(connection: Connection, room: Room, command: LegacyCommand) -> None:
    identity = connection.identity
    lapsed = identity.token.lapsed() if identity and identity.token else None
    if lapsed is not None:
        raise lapsed
    caller = identity.caller if identity else None
    if caller is None or caller.user_id is None or command.scope not in caller.scopes:
        raise ApiError(403, "forbidden", "no permission")
    submitted = await channel_command(connection, room, command)
    if submitted is None:
        return
    await connection.services.commands.submit(submitted)
    answer = success(command)
    if answer is not None:
        await connection.send(notice(f"#{room.channel}", *answer))


async def channel_command(connection: Connection, room: Room, command: LegacyCommand
                          ) -> Command | None:
    """The command the channel's decider decides; None, once the client is told why, when a
    user or message it names is not known."""
    actor = connection.identity.caller if connection.identity else None
    if actor is None:
        raise ApiError(403, "forbidden", "no permission")
    mine: dict[str, Any] = {"channel": room.channel, "actor_id": str(actor.user_id),
                            "actor_admin": actor.admin}
    if isinstance(command, ModeChange):
        async with connection.services.pool.connection() as conn:
            modes = await chat_modes(conn, room.channel)
        return SetChatModes(**mine, **(modes | {command.mode: command.value}))
    if isinstance(command, Moderation) and command.action == "clear":
        return ModerateChat(**mine, action="clear")
    if isinstance(command, Moderation) and command.action == "delete":
        author = await author_of(connection.services.redis, room.channel,
                                 str(command.message_id))
        if author is None:
            await connection.send(notice(f"#{room.channel}", "bad_delete_message_error",
                                         "There was a problem deleting the message."))
            return None
        return ModerateChat(**mine, action="delete", message_id=command.message_id,
                            target_user_id=author)
    target = await target_of(connection, room, command)
    if target is None:
        return None
    if isinstance(command, ModeratorChange):
        kind = AddModerator if command.add else RemoveModerator
        return kind(**mine, user_id=target, username=command.username)
    return ModerateChat(**mine, action=command.action, target_user_id=target,
                        target_username=command.username, duration_s=command.duration_s,
                        reason=command.reason)


async def target_of(connection: Connection, room: Room,
                    command: Moderation | ModeratorChange) -> str | None:
    async with connection.services.pool.connection() as conn:
        user = await get_user(conn, str(command.username))
    if user is None:
        await connection.send(notice(f"#{room.channel}", "invalid_user",
                                     f"Invalid username: {command.username}"))
        return None
    return str(user["user_id"])
