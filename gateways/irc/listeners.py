"""Where IRC clients connect: TCP, plain and (by setting) TLS, every gateway process on one port
each (SO_REUSEPORT), and WebSocket (the gateway's "/" and "/irc"). Every session is known, so
that each is asked to RECONNECT before the gateway stops."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Coroutine
from contextlib import suppress

from starlette.websockets import WebSocket, WebSocketDisconnect

from gateways.irc.framing import LineSplitter, RunawayLine
from gateways.irc.lines import MAX_LINE_BYTES
from gateways.irc.notices import notice
from gateways.irc.session import IrcSession
from gateways.state import Services

log = logging.getLogger(__name__)
WRITE_TIMEOUT_S = 30.0  # a client that reads nothing for this long is let go
SUBPROTOCOL = "irc"
READ_BYTES = 1 << 16
TLS_HANDSHAKE_S = 10.0
TOO_LONG = f"A line is at most {MAX_LINE_BYTES} bytes"


class StreamTransport:
    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer

    async def write(self, text: str) -> None:
        self.writer.write(text.encode())
        try:
            await asyncio.wait_for(self.writer.drain(), WRITE_TIMEOUT_S)
        except (TimeoutError, ConnectionError, ssl.SSLError):
            self.writer.transport.abort()

    async def close(self) -> None:
        self.writer.close()


class SocketTransport:
    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket

    async def write(self, text: str) -> None:
        # A client gone: its reading loop ends the session.
        with suppress(WebSocketDisconnect, RuntimeError, ConnectionError):
            await self.websocket.send_text(text)

    async def close(self) -> None:
        with suppress(RuntimeError):  # already closed
            await self.websocket.close()


class IrcGateway:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.sessions: set[IrcSession] = set()
        self.servers: list[asyncio.Server] = []

    async def start(self) -> None:
        settings = self.services.settings
        if settings.irc_port:
            await self.listen(settings.irc_port, None)
        if settings.irc_tls_files is not None:
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(*settings.irc_tls_files)
            await self.listen(settings.irc_tls_port, tls)

    async def listen(self, port: int, tls: ssl.SSLContext | None) -> None:
        self.servers.append(await asyncio.start_server(
            self.serve_stream, self.services.settings.gateway_host, port, reuse_port=True,
            ssl=tls, ssl_handshake_timeout=TLS_HANDSHAKE_S if tls else None))

    async def stop(self) -> None:
        """Every client is asked to reconnect (to another gateway) and let go."""
        for server in self.servers:
            server.close()
        await asyncio.gather(*(session.reconnect() for session in list(self.sessions)),
                             return_exceptions=True)
        self.sessions.clear()

    async def serve_stream(self, reader: asyncio.StreamReader,
                           writer: asyncio.StreamWriter) -> None:
        session = IrcSession(self.services, StreamTransport(writer))
        await self.run(session, self.stream_lines(session, reader))

    async def stream_lines(self, session: IrcSession, reader: asyncio.StreamReader) -> None:
        splitter = LineSplitter()
        while not session.closed:
            try:
                data = await reader.read(READ_BYTES)
            except (ConnectionError, ssl.SSLError):
                return
            if not data:
                return
            try:
                lines = splitter.feed(data)
            except RunawayLine:
                return await session.send(notice("*", None, f"{TOO_LONG}: disconnected"))
            await self.receive(session, lines)
        return None

    async def serve_socket(self, websocket: WebSocket) -> None:
        asked = websocket.scope.get("subprotocols") or []
        await websocket.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in asked else None)
        session = IrcSession(self.services, SocketTransport(websocket))
        await self.run(session, self.socket_lines(session, websocket))

    async def socket_lines(self, session: IrcSession, websocket: WebSocket) -> None:
        """A frame holds one line or several, each ended by a line break or the frame."""
        splitter = LineSplitter()
        while not session.closed:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            data: bytes = message.get("bytes") or (message.get("text") or "").encode()
            await self.receive(session, [*splitter.feed(data), *splitter.finish()])

    @staticmethod
    async def receive(session: IrcSession, lines: list[bytes | None]) -> None:
        """Lines in order, None for an overlong one, until the session closes (a flood)."""
        for raw in lines:
            if session.closed:
                return
            if raw is None:
                await session.send(notice("*", None, f"{TOO_LONG}: ignored"))
            else:
                await session.receive(raw)

    async def run(self, session: IrcSession, reading: Coroutine[None, None, None]) -> None:
        self.sessions.add(session)
        keepalive = asyncio.create_task(
            session.keepalive(self.services.settings.irc_ping_interval_s))
        try:
            await reading
        except WebSocketDisconnect:
            pass
        except Exception:  # one client's fault ends its connection, never the gateway
            log.exception("IRC session of %s failed", session.login)
        finally:
            keepalive.cancel()
            self.sessions.discard(session)
            session.end()
            await session.transport.close()


async def irc_socket(websocket: WebSocket) -> None:
    gateway: IrcGateway = websocket.app.state.irc
    await gateway.serve_socket(websocket)
