"""EventSub's WebSocket transport at /eventsub/ws, as Twitch's: a session_welcome naming the
session, a session_keepalive whenever nothing else was sent for a while, notifications of the
session's subscriptions, and session_reconnect before the gateway goes away. A session with no
subscription after eventsub_unused_session_s is closed (4003); one whose client sends anything
is closed (4001). Its subscriptions end with it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from starlette.websockets import WebSocket, WebSocketDisconnect

from gateways.eventsub import close_codes
from projections.eventsub.messages import Json, frame, session_json

log = logging.getLogger(__name__)
# A message, or what makes it once the read models have been asked what it names.
Outgoing = Json | Callable[[], Awaitable[Json]]
QUEUE_LIMIT = 1000
MAX_KEEPALIVE_S = 600


def keepalive_of(websocket: WebSocket, default_s: int) -> int | None:
    """The keepalive the client asked for (10 to 600 s), else the default; None if invalid."""
    raw = websocket.query_params.get("keepalive_timeout_seconds")
    if raw is None:
        return default_s
    if not raw.isascii() or not raw.isdigit() or not 10 <= int(raw) <= MAX_KEEPALIVE_S:
        return None
    return int(raw)


class WebSocketSession:
    def __init__(self, websocket: WebSocket, keepalive_s: int) -> None:
        self.websocket = websocket
        self.id = secrets.token_urlsafe(18)
        self.keepalive_s = keepalive_s
        self.connected_at = datetime.now(UTC)
        self.outbox: asyncio.Queue[Outgoing] = asyncio.Queue(QUEUE_LIMIT)
        self.subscribed = asyncio.Event()
        self.close_code: int | None = None
        self.disconnected = False  # by the client: nothing more can be sent

    def offer(self, message: Outgoing) -> None:
        """Queue a message; a session that far behind is closed (its client reconnects)."""
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.end(close_codes.NETWORK_TIMEOUT)

    def end(self, code: int) -> None:
        if self.close_code is None:
            self.close_code = code
            with contextlib.suppress(asyncio.QueueFull):
                self.outbox.put_nowait({})

    def welcome(self, reconnect_url: str | None = None) -> Json:
        """session_welcome; or, given where to reconnect, session_reconnect."""
        if reconnect_url is None:
            session = session_json(self.id, "connected", self.connected_at, self.keepalive_s)
            return frame("session_welcome", session, datetime.now(UTC), str(uuid4()))
        session = session_json(self.id, "reconnecting", self.connected_at, None, reconnect_url)
        return frame("session_reconnect", session, datetime.now(UTC), str(uuid4()))

    async def serve(self, unused_s: float) -> None:
        """Send what is queued, keepalives between, until the session ends either side."""
        reader = asyncio.create_task(self._read())
        unused = asyncio.create_task(self._unused(unused_s))
        try:
            await self._send(self.welcome())
            await self._write()
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass
        finally:
            reader.cancel()
            unused.cancel()
        if self.close_code is not None and not self.disconnected:
            with contextlib.suppress(RuntimeError, OSError):
                await self.websocket.close(self.close_code)

    async def _write(self) -> None:
        idle_s = self.keepalive_s * 0.8
        while self.close_code is None:
            try:
                message = await asyncio.wait_for(self.outbox.get(), idle_s)
            except TimeoutError:
                message = frame("session_keepalive", {}, datetime.now(UTC), str(uuid4()))
            if callable(message):
                message = await message()
            if self.close_code is None:
                await self._send(message)

    async def _send(self, message: Json) -> None:
        await self.websocket.send_json(message)

    async def _read(self) -> None:
        """Any frame from the client ends the session, as on Twitch."""
        try:
            message: MutableMapping[str, Any] = await self.websocket.receive()
        except (RuntimeError, OSError):
            message = {"type": "websocket.disconnect"}
        self.disconnected = message["type"] == "websocket.disconnect"
        self.end(close_codes.CLIENT_SENT_INBOUND_TRAFFIC
                 if message["type"] == "websocket.receive" else close_codes.NETWORK_ERROR)

    async def _unused(self, unused_s: float) -> None:
        try:
            await asyncio.wait_for(self.subscribed.wait(), unused_s)
        except TimeoutError:
            self.end(close_codes.CONNECTION_UNUSED)

