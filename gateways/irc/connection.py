"""One IRC client's connection, whatever carries it (TCP or WebSocket): who it is, what it asked
for (capabilities), and writing lines to it in order."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Protocol

from gateways.auth import Principal
from gateways.chat_tokens import TokenWatch
from gateways.irc.lines import Line, format_line
from gateways.state import Services

TAGS, COMMANDS, MEMBERSHIP = "twitch.tv/tags", "twitch.tv/commands", "twitch.tv/membership"
CAPABILITIES = frozenset({TAGS, COMMANDS, MEMBERSHIP})
# Lines Twitch sends only to a client that asked for twitch.tv/commands.
COMMAND_LINES = frozenset({"CLEARCHAT", "CLEARMSG", "GLOBALUSERSTATE", "HOSTTARGET",
                           "RECONNECT", "ROOMSTATE", "USERNOTICE", "USERSTATE", "WHISPER"})


class Transport(Protocol):
    async def write(self, text: str) -> None: ...

    async def close(self) -> None: ...


@dataclass
class Identity:
    """Who the client signed in as: a user with their token, or an anonymous justinfan."""

    login: str
    caller: Principal | None = None
    token: TokenWatch | None = None
    display_name: str = ""
    color: str = ""  # the user's chat colour, "#rrggbb"


class Connection:
    def __init__(self, services: Services, transport: Transport) -> None:
        self.services = services
        self.transport = transport
        self.caps: set[str] = set()
        self.identity: Identity | None = None
        self.sending = asyncio.Lock()
        self.closed = False

    @property
    def login(self) -> str:
        return self.identity.login if self.identity else "*"

    def wants(self, command: str) -> bool:
        return command not in COMMAND_LINES or COMMANDS in self.caps

    def shown(self, line: Line) -> str | None:
        """The line as this client is sent it, or None when it did not ask for its kind."""
        if not self.wants(line.command):
            return None
        if TAGS in self.caps or not line.tags:
            return format_line(line)
        return format_line(Line(line.command, line.params, {}, line.prefix, line.trailing))

    async def send(self, *lines: Line) -> None:
        await self.send_text("".join(text for line in lines if (text := self.shown(line))))

    async def send_text(self, text: str) -> None:
        if not text or self.closed:
            return
        async with self.sending:
            await self.transport.write(text)

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            await self.transport.close()
