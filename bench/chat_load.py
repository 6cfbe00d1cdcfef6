"""A chat load on loopback: reader sockets spread over channels, one sender per channel posting
at a fixed total rate; each message carries its send time, so a reader measures post -> deliver.

The same load runs against the platform and against the baseline, which speak the same frames;
readers ask for batch frames (`?batch=1`), which both send when frames wait for a socket.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

CONNECTS_AT_ONCE = 50
DRAIN_S = 15.0


@dataclass(frozen=True)
class Load:
    channels: list[str]
    tokens: dict[str, str]  # channel -> a token of a user allowed to post there
    sockets: int
    rate: float  # messages per second over all channels
    seconds: float


@dataclass
class Tally:
    accepted: dict[str, int] = field(default_factory=dict)
    rejected: Counter[str] = field(default_factory=Counter)  # by reason
    readers: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    delivered: int = 0
    out_of_order: int = 0
    latencies: list[float] = field(default_factory=list)
    sending_s: float = 0.0

    @property
    def answered(self) -> int:
        return sum(self.accepted.values()) + sum(self.rejected.values())

    @property
    def expected(self) -> int:
        return sum(n * self.readers.get(c, 0) for c, n in self.accepted.items())


def unbatched(frame: dict[str, Any]) -> list[dict[str, Any]]:
    """The frames a (batch) frame holds."""
    inner: list[dict[str, Any]] = frame["frames"] if frame.get("type") == "batch" else [frame]
    return inner


async def read(ws: ClientConnection, tally: Tally) -> None:
    """Record each message's latency and whether it came after the previous one of its sender."""
    last = -1
    try:
        async for raw in ws:
            received = time.time()
            frame = json.loads(raw)
            for message in unbatched(frame):
                if message.get("type") != "message":
                    continue
                sent, sequence = message["text"].split()
                tally.latencies.append(received - float(sent))
                tally.delivered += 1
                tally.out_of_order += int(sequence) <= last
                last = int(sequence)
    except ConnectionClosed:
        return


async def post(ws: ClientConnection, channel: str, tally: Tally) -> None:
    """Count the sender's acks and errors (its own messages come back too, and are ignored)."""
    try:
        async for raw in ws:
            for frame in unbatched(json.loads(raw)):
                if frame.get("type") == "ack":
                    tally.accepted[channel] = tally.accepted.get(channel, 0) + 1
                elif frame.get("type") == "error":
                    tally.rejected[frame.get("reason", "?")] += 1
    except ConnectionClosed:
        return


async def open_socket(url: str, token: str | None, gate: asyncio.Semaphore) -> ClientConnection:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    async with gate:
        ws = await connect(url, additional_headers=headers, max_queue=None, open_timeout=30,
                           ping_interval=None)
        while (frame := json.loads(await ws.recv())).get("type") != "join":
            if frame.get("type") == "error":
                raise RuntimeError(f"joining {url} failed: {frame}")
        return ws


async def pace(senders: dict[str, ClientConnection], load: Load, tally: Tally) -> None:
    """Round-robin over the channels so that `rate` messages leave per second in total."""
    channels, started, sent = load.channels, time.monotonic(), 0
    while (elapsed := time.monotonic() - started) < load.seconds:
        for _ in range(int(elapsed * load.rate) - sent):
            channel = channels[sent % len(channels)]
            text = f"{time.time():.6f} {sent}"
            try:
                await senders[channel].send(json.dumps({"type": "message", "text": text}))
            except ConnectionClosed:
                tally.rejected["sender socket closed"] += 1
            sent += 1
        tally.sent = sent
        await asyncio.sleep(0.005)
    tally.sending_s = time.monotonic() - started


async def drained(tally: Tally, limit_s: float) -> None:
    """Until every message is answered and delivered to every reader, or the limit passes."""
    for _ in range(int(limit_s / 0.05)):
        if tally.delivered >= tally.expected and tally.answered >= tally.sent:
            return
        await asyncio.sleep(0.05)


async def run_load(url_of: Callable[[str], str], load: Load) -> Tally:
    tally, gate = Tally(), asyncio.Semaphore(CONNECTS_AT_ONCE)
    placed = [load.channels[i % len(load.channels)] for i in range(load.sockets)]
    readers = await asyncio.gather(*(open_socket(url_of(c), None, gate) for c in placed))
    senders = dict(zip(load.channels, await asyncio.gather(
        *(open_socket(url_of(c), load.tokens[c], gate) for c in load.channels)), strict=True))
    for channel in placed:
        tally.readers[channel] = tally.readers.get(channel, 0) + 1
    tasks = [asyncio.create_task(read(ws, tally)) for ws in readers]
    tasks += [asyncio.create_task(post(ws, c, tally)) for c, ws in senders.items()]
    try:
        await pace(senders, load, tally)
        await drained(tally, DRAIN_S)
    finally:
        for ws in [*readers, *senders.values()]:
            await ws.close()
        await asyncio.gather(*tasks, return_exceptions=True)
    return tally
