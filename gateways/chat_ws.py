"""Chat over WebSocket at /ws/channels/{channel}: anyone reads; posting needs chat:edit.

Protocol version 1, JSON frames (docs/chat.md). Client: {"type": "auth", "token"},
{"type": "message", "text", "nonce"?, "reply_to"?, "announcement"?}, {"type": "ping"}. Server:
"join", "authenticated", "message", "ack", "error" (with "reason", "message" and, for rate
limits, "retry_after_s"), "pong", "moderation", "modes", "donation", "subscription", and
"ad_break" to every socket but a signed-in subscriber's of an ad-free tier. A client that
connects with `?batch=1` may also get {"type": "batch", "frames": [...]}: frames that were
waiting for its socket, in order, sent as one.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import JsonValue, ValidationError
from starlette.status import WS_1008_POLICY_VIOLATION
from starlette.websockets import WebSocket, WebSocketDisconnect

from events.chat import SendChatMessage
from events.monetization import CheerBits
from gateways.ads import ad_free
from gateways.auth import Principal, authenticate
from gateways.chat_colors import chat_color
from gateways.chat_fanout import FRAME_ENCODER, Frame, Subscription
from gateways.chat_frames import (
    CLIENT_FRAME,
    AnyClientFrame,
    AuthFrame,
    MessageFrame,
    PingFrame,
)
from gateways.chat_posting import ChatPoster, posting_refusal
from gateways.chat_tokens import TokenWatch
from gateways.close_codes import WS_4401_UNAUTHORIZED, WS_4404_CHANNEL_NOT_FOUND
from gateways.errors import ApiError, from_validation
from gateways.inputs import check_json, load_json
from gateways.state import Services
from projections.channel_reads import get_channel
from projections.user_reads import get_user

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 4096
MAX_FRAME_UTF8_BYTES = 4 * MAX_FRAME_BYTES  # the server closes a socket sending a larger one
POSTS_IN_FLIGHT = 32  # a sender's messages awaiting their decision; more wait to be read


class ChatSession:
    def __init__(self, websocket: WebSocket, services: Services, channel: str) -> None:
        self.websocket = websocket
        self.batches = websocket.query_params.get("batch") == "1"
        self.services = services
        self.channel = channel
        self.caller: Principal | None = None
        self.token: TokenWatch | None = None
        self.display_name = ""
        self.color = ""
        self.sending = asyncio.Lock()
        self.poster_of_channel = ChatPoster(services, channel)
        self.in_flight = asyncio.Semaphore(POSTS_IN_FLIGHT)
        self.posting: set[asyncio.Task[None]] = set()
        self.subscription: Subscription | None = None
        self.ad_free = False

    async def send(self, frame: Frame) -> None:
        await self.send_text(FRAME_ENCODER.encode(frame).decode())

    async def send_text(self, text: str) -> None:
        async with self.sending:
            await self.websocket.send_text(text)

    async def error(self, reason: str, message: str, **extra: Any) -> None:
        await self.send({"type": "error", "reason": reason, "message": message, **extra})

    async def sign_in(self, token: str) -> bool:
        try:
            caller = await authenticate(self.services.pool, token)
        except ApiError as refused:
            await self.error(refused.error, refused.message)
            return False
        async with self.services.pool.connection() as conn:
            user = await get_user(conn, str(caller.username)) if caller.username else None
        self.caller, self.display_name = caller, user["display_name"] if user else ""
        self.color = chat_color(user["chat_color"] if user else None, str(caller.user_id))
        self.token = self.services.revocations.watch(token, caller.expires_at)
        self.ad_free = caller.user_id is not None and await ad_free(
            self.services, self.channel, caller.user_id)
        if self.subscription is not None:
            self.subscription.ad_free = self.ad_free
        await self.send({"type": "authenticated", "user": caller.username})
        return True

    async def poster(self, nonce: JsonValue) -> str | None:
        """The caller's user id when they may post now; if not, they are told why."""
        lapsed = self.token.lapsed() if self.token else None
        if lapsed is not None:  # the socket stays open, read-only
            self.caller = self.token = None
            await self.error(lapsed.error, lapsed.message, nonce=nonce)
            return None
        refused = posting_refusal(self.caller)
        if refused is not None:
            await self.error(refused.error, refused.message, nonce=nonce)
            return None
        return self.caller.user_id if self.caller else None

    async def post(self, frame: MessageFrame) -> None:
        user_id = await self.poster(frame.nonce)
        if user_id is None or self.caller is None:
            return
        poster = self.poster_of_channel
        await poster.refresh_standing(user_id)
        try:
            reply = await poster.replied_to(frame.reply_to)
            command = poster.command(self.caller, self.display_name, frame.text, self.color,
                                     reply, frame.announcement or "")
        except ApiError as refused:
            return await self.error(refused.error, refused.message, field=refused.field,
                                    nonce=frame.nonce)
        await self.in_flight.acquire()
        # Ordering: a task's first step produces the command, and tasks start in creation
        # order, so a sender's messages reach the decider in the order they were sent.
        task = asyncio.create_task(self.decided(command, frame.nonce))
        self.posting.add(task)
        task.add_done_callback(self.posting.discard)

    async def decided(self, command: SendChatMessage | CheerBits, nonce: object) -> None:
        """The sender learns the decision (ack or error) while its next messages are decided."""
        try:
            await self.poster_of_channel.submit(command)
        except ApiError as refused:
            wait = (refused.headers or {}).get("Retry-After")
            extra = {"retry_after_s": int(wait)} if wait else {}
            return await self.error(refused.error, refused.message, nonce=nonce, **extra)
        finally:
            self.in_flight.release()
        return await self.send({"type": "ack", "nonce": nonce, "id": command.message_id})

    async def handle(self, raw: str) -> None:
        frame = await self.received(raw)
        if isinstance(frame, PingFrame):
            await self.send({"type": "pong"})
        elif isinstance(frame, AuthFrame):
            await self.sign_in(frame.token)
        elif isinstance(frame, MessageFrame):
            await self.post(frame)

    async def received(self, raw: str) -> AnyClientFrame | None:
        """The frame `raw` holds; None, once the client is told why, when it holds none."""
        try:
            data = load_json(raw) if len(raw) <= MAX_FRAME_BYTES else None
        except ApiError:
            data = None
        if not isinstance(data, dict):
            await self.error("malformed_frame", f"send JSON objects of at most "
                             f"{MAX_FRAME_BYTES} bytes")
            return None
        try:
            check_json(data)
            return CLIENT_FRAME.validate_python(data)
        except ApiError as refused:
            await self.error(refused.error, refused.message, field=refused.field,
                             nonce=data.get("nonce"))
        except ValidationError as invalid:
            await self.refuse(data, from_validation(invalid))
        return None

    async def refuse(self, frame: dict[str, Any], invalid: ApiError) -> None:
        """A frame not of the protocol: a message with a field that is not what it must be is
        refused as such once its sender may post; anything else is of a type the server does
        not know."""
        kind, nonce = frame.get("type"), frame.get("nonce")
        if kind != "message":
            return await self.error("unknown_type", f"unknown frame type {kind!r}")
        if await self.poster(nonce) is not None:
            field = (invalid.field or "").removeprefix("message.")
            await self.error("invalid_message", invalid.message.removeprefix("message."),
                             field=field or None, nonce=nonce)
        return None

    async def pump(self, subscription: Subscription) -> None:
        while True:
            for text in await subscription.next_texts(self.batches):
                await self.send_text(text)
            if subscription.dropped and subscription.empty():
                await self.websocket.close(code=WS_1008_POLICY_VIOLATION, reason="too slow")
                return


async def chat_socket(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    channel = websocket.path_params["channel"].lower()
    await websocket.accept()
    session = ChatSession(websocket, services, channel)
    async with services.pool.connection() as conn:
        if await get_channel(conn, channel) is None:
            await session.error("channel_not_found", f"no channel named {channel!r}")
            await websocket.close(code=WS_4404_CHANNEL_NOT_FOUND)
            return
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer ") and not await session.sign_in(header[7:].strip()):
        await websocket.close(code=WS_4401_UNAUTHORIZED)
        return
    subscription = services.fanout.subscribe(channel, session.ad_free)
    session.subscription = subscription
    pump = asyncio.create_task(session.pump(subscription))
    try:
        await session.send({"type": "join", "version": PROTOCOL_VERSION, "channel": channel,
                            "user": session.caller.username if session.caller else None})
        while True:
            await session.handle(await websocket.receive_text())
    except WebSocketDisconnect:
        pass
    finally:
        services.fanout.unsubscribe(channel, subscription)
        pump.cancel()
        for task in session.posting:
            task.cancel()
