"""A channel an IRC client joined: its lines from the chat's fan-out (the JSON sockets' own, so
both see one order), and what Twitch sends on joining."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from gateways.chat_fanout import Subscription
from gateways.chat_posting import ChatPoster
from gateways.irc.connection import TAGS, Connection
from gateways.irc.lines import SERVER, Line, server_line, user_prefix
from gateways.irc.notices import notice
from gateways.irc.relay import relayed, room_state
from projections.channel_reads import get_channel, list_moderators
from projections.chat_rooms import chat_modes

CHANNEL = re.compile(r"^#[a-z0-9_]{1,25}$")


@dataclass
class Room:
    channel: str
    room_id: str
    subscription: Subscription
    poster: ChatPoster
    own: set[str] = field(default_factory=set)  # ids of this client's messages not yet relayed
    state: dict[str, str] = field(default_factory=dict)  # the ROOMSTATE tags last sent
    pump: asyncio.Task[None] | None = None


def user_state(connection: Connection, channel: str, moderator: bool) -> Line:
    """The client's own standing in the channel, as sent on joining and after each message."""
    owner = connection.login == channel
    badges = "broadcaster/1" if owner else "moderator/1" if moderator else ""
    return server_line("USERSTATE", f"#{channel}", tags={
        "badge-info": "", "badges": badges,
        "color": connection.identity.color if connection.identity else "",
        "display-name": connection.identity.display_name if connection.identity else "",
        "emote-sets": "0", "mod": "1" if moderator else "0", "subscriber": "0",
        "user-type": "mod" if moderator else ""})


async def is_moderator(connection: Connection, channel: str) -> bool:
    caller = connection.identity.caller if connection.identity else None
    if caller is None:
        return False
    async with connection.services.pool.connection() as conn:
        return any(str(m["user_id"]) == caller.user_id
                   for m in await list_moderators(conn, channel))


async def join(connection: Connection, name: str) -> Room | None:
    """The room, once the client is told it joined; None, once told why not, when there is no
    such channel."""
    channel = name[1:]
    async with connection.services.pool.connection() as conn:
        found = await get_channel(conn, channel) if CHANNEL.match(name) else None
        modes = await chat_modes(conn, channel) if found else {}
    if found is None or found["suspended"]:
        await connection.send(notice(name if CHANNEL.match(name) else "*", "msg_channel_suspended",
                                     "This channel does not exist or has been suspended."))
        return None
    room_id = str(found["owner_id"])
    subscription = connection.services.fanout.subscribe(channel)
    room = Room(channel, room_id, subscription, ChatPoster(connection.services, channel))
    login, state = connection.login, room_state(channel, room_id, modes)
    room.state = dict(state.tags)
    await connection.send(
        Line("JOIN", (name,), prefix=user_prefix(login)),
        Line("353", (login, "=", name, login), prefix=f"{login}.{SERVER}", trailing=True),
        Line("366", (login, name, "End of /NAMES list"), prefix=f"{login}.{SERVER}"),
        user_state(connection, channel, await is_moderator(connection, channel)), state)
    room.pump = asyncio.create_task(pump(connection, room))
    return room


async def pump(connection: Connection, room: Room) -> None:
    """The room's lines, in the fan-out's order; a client this far behind is let go."""
    subscription = room.subscription
    while True:
        for text in await subscription.next_texts(False):
            line = relayed(text, room.room_id)
            if line is None or not connection.wants(line.command):
                continue
            if line.message_id in room.own:
                room.own.discard(line.message_id)  # Twitch does not echo a sender's message
            elif line.command == "ROOMSTATE":
                await connection.send(*changed_state(room, line.line))
            else:
                await connection.send_text(line.tagged if TAGS in connection.caps
                                           else line.plain)
        if subscription.dropped and subscription.empty():
            await connection.close()
            return


def changed_state(room: Room, state: Line) -> list[Line]:
    """A mode change as Twitch sends it: a ROOMSTATE of the modes that changed (clients such
    as tmi.js read a full one as the answer to a join); none when nothing did."""
    changed = {key: value for key, value in state.tags.items() if room.state.get(key) != value}
    room.state.update(changed)
    if not changed:
        return []
    return [server_line("ROOMSTATE", f"#{room.channel}",
                        tags={"room-id": room.room_id, **changed})]


def leave(connection: Connection, room: Room) -> None:
    connection.services.fanout.unsubscribe(room.channel, room.subscription)
    if room.pump is not None:
        room.pump.cancel()
