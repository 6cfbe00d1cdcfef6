"""An IRC session in Twitch's dialect: capabilities, sign-in (an access token as PASS, or an
anonymous justinfan), channels, messages, PING/PONG both ways. Whatever a client sends, it is
answered with a line or let go, never left with a traceback."""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass

from gateways.auth import authenticate
from gateways.chat_colors import chat_color
from gateways.errors import ApiError
from gateways.irc.connection import CAPABILITIES, COMMANDS, Connection, Identity, Transport
from gateways.irc.lines import SERVER, Line, MalformedLine, parse_line, server_line
from gateways.irc.notices import BAD_AUTH_FORMAT, LOGIN_FAILED, notice
from gateways.irc.rooms import CHANNEL, Room, join, leave
from gateways.irc.speaking import speak
from gateways.state import Services
from projections.user_reads import get_user

log = logging.getLogger(__name__)
ANONYMOUS = re.compile(r"^justinfan\d{1,20}$")
MAX_ROOMS = 100
FLOOD_LINES, FLOOD_WINDOW_S = 200, 10.0  # more lines than this in a window close the connection
JOINS, JOIN_WINDOW_S = 20, 10.0  # Twitch's limit of channels a client may try to join
POSTS_IN_FLIGHT = 32
WELCOME = (("001", "Welcome, GLHF!"), ("002", f"Your host is {SERVER}"),
           ("003", "This server is rather new"), ("004", "-"), ("375", "-"),
           ("372", "You are in a maze of twisty passages, all alike."), ("376", ">"))


class IrcSession(Connection):
    def __init__(self, services: Services, transport: Transport) -> None:
        super().__init__(services, transport)
        self.password: str | None = None
        self.rooms: dict[str, Room] = {}
        self.heard = time.monotonic()
        self.lines, self.joins = Budget(FLOOD_LINES, FLOOD_WINDOW_S), Budget(JOINS, JOIN_WINDOW_S)
        self.in_flight = asyncio.Semaphore(POSTS_IN_FLIGHT)
        self.posting: set[asyncio.Task[None]] = set()
        self.handlers: dict[str, Callable[[Line], Awaitable[None]]] = {
            "CAP": self.cap, "PASS": self.pass_, "NICK": self.nick, "USER": self.ignore,
            "JOIN": self.join, "PART": self.part, "PRIVMSG": self.privmsg, "PING": self.ping,
            "PONG": self.ignore, "QUIT": self.quit}

    async def receive(self, raw: bytes) -> None:
        """One line as the client sent it, without its line break."""
        self.heard = time.monotonic()
        if not self.lines.take(self.heard):
            await self.send(notice("*", None, f"More than {FLOOD_LINES} lines in "
                                   f"{FLOOD_WINDOW_S:.0f} s: disconnected"))
            return await self.close()
        if not raw.strip():
            return None
        try:
            line = parse_line(raw)
        except MalformedLine as error:
            return await self.send(notice("*", None, f"Malformed line: {error}"))
        return await self.dispatch(line)

    async def dispatch(self, line: Line) -> None:
        handler = self.handlers.get(line.command)
        if handler is None:
            await self.send(server_line("421", self.login, line.command[:32],
                                        "Unknown command"))
        elif self.identity is None and line.command in ("JOIN", "PART", "PRIVMSG"):
            await self.send(server_line("451", self.login, "You have not registered"))
        else:
            await handler(line)

    async def ignore(self, line: Line) -> None:
        return None

    async def cap(self, line: Line) -> None:
        sub = line.params[0].upper() if line.params else ""
        if sub == "LS":
            await self.send(server_line("CAP", "*", "LS", " ".join(sorted(CAPABILITIES))))
        elif sub == "REQ" and len(line.params) > 1:
            asked = line.params[1].split()
            known = all(cap in CAPABILITIES for cap in asked)
            if known:
                self.caps.update(asked)
            await self.send(server_line("CAP", "*", "ACK" if known else "NAK", line.params[1],
                                        trailing=True))

    async def pass_(self, line: Line) -> None:
        self.password = line.params[0] if line.params else ""

    async def nick(self, line: Line) -> None:
        if self.identity is not None or not line.params:
            return
        nick = line.params[0].lower()
        if ANONYMOUS.match(nick):
            return await self.welcome(Identity(nick))
        password = self.password or ""
        if not password.lower().startswith("oauth:"):
            return await self.refuse_login(BAD_AUTH_FORMAT)
        try:
            caller = await authenticate(self.services.pool, password[6:])
        except ApiError:
            return await self.refuse_login(LOGIN_FAILED)
        if caller.username is None:
            return await self.refuse_login(LOGIN_FAILED)
        async with self.services.pool.connection() as conn:
            user = await get_user(conn, caller.username)
        return await self.welcome(Identity(
            caller.username, caller,
            self.services.revocations.watch(password[6:], caller.expires_at),
            str(user["display_name"]) if user else caller.username,
            chat_color(user["chat_color"] if user else None, str(caller.user_id))))

    async def refuse_login(self, why: str) -> None:
        await self.send(notice("*", None, why))
        await self.close()

    async def welcome(self, identity: Identity) -> None:
        self.identity = identity
        caller = identity.caller
        await self.send(*(server_line(code, identity.login, text) for code, text in WELCOME))
        if caller is not None:
            await self.send(server_line("GLOBALUSERSTATE", tags={
                "badge-info": "", "badges": "", "color": identity.color,
                "display-name": identity.display_name, "emote-sets": "0",
                "user-id": str(caller.user_id), "user-type": ""}))

    async def join(self, line: Line) -> None:
        names = listed(line)
        for count, name in enumerate(names):
            if CHANNEL.match(name) and name[1:] in self.rooms:
                continue
            if not self.joins.take(time.monotonic()):
                return await self.send(notice("*", None, f"More than {JOINS} channels joined in "
                                              f"{JOIN_WINDOW_S:.0f} s: {len(names) - count} "
                                              "not joined"))
            if len(self.rooms) >= MAX_ROOMS:
                return await self.send(notice(name, "msg_rejected", f"You may be in at most "
                                              f"{MAX_ROOMS} channels at once."))
            room = await join(self, name)
            if room is not None:
                self.rooms[room.channel] = room
        return None

    async def part(self, line: Line) -> None:
        for name in listed(line):
            room = self.rooms.pop(name[1:], None) if CHANNEL.match(name) else None
            if room is not None:
                leave(self, room)
                await self.send(Line("PART", (name,), prefix=f"{self.login}!{self.login}@"
                                     f"{self.login}.{SERVER}"))

    async def privmsg(self, line: Line) -> None:
        if not line.params:
            return await self.send(server_line("411", self.login, "No recipient given"))
        if len(line.params) < 2 or not line.params[1]:
            return await self.send(server_line("412", self.login, "No text to send"))
        target, text = line.params[0].lower(), line.params[1]
        room = self.rooms.get(target[1:]) if CHANNEL.match(target) else None
        if room is None:
            return await self.send(notice(target if CHANNEL.match(target) else "*",
                                          "msg_rejected", "Join the channel before sending to it."))
        rest = await speak(self, room, text, line.tags.get("reply-parent-msg-id") or None)
        if rest is not None:
            await self.in_flight.acquire()
            task = asyncio.create_task(self.finish(rest))
            self.posting.add(task)
            task.add_done_callback(self.posting.discard)
        return None

    async def finish(self, rest: Coroutine[None, None, None]) -> None:
        try:
            await rest
        finally:
            self.in_flight.release()

    async def ping(self, line: Line) -> None:
        await self.send(server_line("PONG", SERVER, *line.params[:1]))

    async def quit(self, line: Line) -> None:
        await self.close()

    async def keepalive(self, interval_s: float) -> None:
        """PING a client silent for interval_s; close it when it stays silent as long again."""
        while not self.closed:
            await asyncio.sleep(interval_s)
            silent_s = time.monotonic() - self.heard
            if silent_s >= 2 * interval_s:
                return await self.close()
            if silent_s >= interval_s:
                await self.send(server_line("PING", SERVER))

    async def reconnect(self) -> None:
        """Asked to reconnect (elsewhere) before this gateway stops."""
        if COMMANDS in self.caps:
            await self.send(server_line("RECONNECT"))
        await self.close()

    def end(self) -> None:
        """Let go of everything the session holds, once its connection is closed."""
        self.closed = True
        for room in self.rooms.values():
            leave(self, room)
        self.rooms.clear()
        for task in self.posting:
            task.cancel()


@dataclass
class Budget:
    """At most `most` of something in a window of `window_s` opened by the first of them."""

    most: int
    window_s: float
    start: float = -math.inf
    used: int = 0

    def take(self, now: float) -> bool:
        if now - self.start >= self.window_s:
            self.start, self.used = now, 0
        self.used += 1
        return self.used <= self.most


def listed(line: Line) -> list[str]:
    """The channels a JOIN or PART names, "#a,#b"."""
    return [name for name in line.params[0].lower().split(",") if name] if line.params else []
