"""The chat bench's baseline: the least a chat fan-out can be. A posted message goes straight to
Redis pub/sub and from there to every socket of the channel on this process; no Kafka, no decider,
no rules. It speaks the platform's frames, so the same load runs against both.

`python -m bench.chat_baseline PORT REDIS_URL` serves it on loopback.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import uuid4

import redis.asyncio as redis
import uvicorn
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from gateways.chat_fanout import Chunk, Subscription

PREFIX = "bench-chat:"


class Rooms:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.sockets: dict[str, set[Subscription]] = defaultdict(set)

    async def relay(self) -> None:
        """One subscription per process; each message is encoded once for all its sockets."""
        async with self.client.pubsub() as pubsub:
            await pubsub.psubscribe(f"{PREFIX}*")
            async for item in pubsub.listen():
                if item["type"] != "pmessage":
                    continue
                channel = item["channel"].decode()[len(PREFIX):]
                chunk = Chunk((item["data"].decode(),))
                for subscription in self.sockets.get(channel, ()):
                    subscription.offer(chunk)


async def pump(websocket: WebSocket, subscription: Subscription) -> None:
    """As the gateway: frames waiting for a socket that asked for batches are sent as one."""
    batches = websocket.query_params.get("batch") == "1"
    while True:
        for text in await subscription.next_texts(batches):
            await websocket.send_text(text)


async def chat(websocket: WebSocket) -> None:
    rooms: Rooms = websocket.app.state.rooms
    channel = websocket.path_params["channel"]
    await websocket.accept()
    await websocket.send_text(json.dumps({"type": "join", "version": 1, "channel": channel}))
    subscription = Subscription()
    rooms.sockets[channel].add(subscription)
    sender = asyncio.create_task(pump(websocket, subscription))
    try:
        while True:
            frame = json.loads(await websocket.receive_text())
            message_id = str(uuid4())
            await rooms.client.publish(f"{PREFIX}{channel}", json.dumps(
                {"type": "message", "id": message_id, "channel": channel, "text": frame["text"]}))
            subscription.offer(Chunk((json.dumps(
                {"type": "ack", "nonce": frame.get("nonce"), "id": message_id}),)))
    except WebSocketDisconnect:
        pass
    finally:
        rooms.sockets[channel].discard(subscription)
        sender.cancel()


def create_app(redis_url: str) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.rooms = Rooms(redis.Redis.from_url(redis_url))
        relay = asyncio.create_task(app.state.rooms.relay())
        yield
        relay.cancel()
        await app.state.rooms.client.aclose()

    return Starlette(routes=[WebSocketRoute("/ws/channels/{channel}", chat)], lifespan=lifespan)


if __name__ == "__main__":
    uvicorn.run(create_app(sys.argv[2]), host="127.0.0.1", port=int(sys.argv[1]),
                log_level="warning", ws_per_message_deflate=False)  # as the gateway
