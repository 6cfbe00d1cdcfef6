"""The gateway's uvicorn server. Before uvicorn closes every WebSocket (1012) on shutdown, IRC
clients are asked to RECONNECT, as Twitch asks them before a server goes away."""

from __future__ import annotations

import socket

import uvicorn
from starlette.applications import Starlette


class GatewayServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: Starlette) -> None:
        super().__init__(config)
        self.app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        irc = getattr(self.app.state, "irc", None)
        if irc is not None:
            await irc.stop()
        eventsub = getattr(self.app.state, "eventsub", None)
        if eventsub is not None:
            await eventsub.reconnect_all()
        await super().shutdown(sockets)
