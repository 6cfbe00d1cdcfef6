"""A chat load on loopback: reader sockets spread over channels and gateways, one sender per
channel posting at a fixed total rate. Each message carries its send time and a sequence number
(also its nonce), so a reader measures post -> deliver and the tally can say, per reader, which
accepted message arrived, twice, out of order or not at all.

The same load runs against the platform and against the baseline, which speak the same frames;
readers ask for batch frames (`?batch=1`), which both send when frames wait for a socket.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

CONNECTS_AT_ONCE = 50
DRAIN_S = 15.0
UrlOf = Callable[[str, int], str]  # (channel, gateway number) -> WebSocket URL


class Window(Protocol):
    """Told when sending starts and stops (e.g. a CPU meter)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Load:
    channels: list[str]
    tokens: dict[str, str]  # channel -> a token of a user allowed to post there
    sockets: int
    rate: float  # messages per second over all channels
    seconds: float
    gateways: int = 1  # readers and senders are spread over this many gateways


@dataclass
class Reader:
    channel: str
    received: list[int] = field(default_factory=list)  # sequences, in arrival order
    closed: str | None = None  # how the server closed it before the run ended, if it did


@dataclass
class Tally:
    sent: dict[str, list[int]] = field(default_factory=dict)  # channel -> sequences, in order
    acked_at: dict[int, float] = field(default_factory=dict)  # sequence -> ack arrival
    refused: dict[int, str] = field(default_factory=dict)  # sequence -> error reason
    unattributed: Counter[str] = field(default_factory=Counter)  # errors naming no message
    readers: list[Reader] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # post -> deliver, s
    ack_latencies: list[float] = field(default_factory=list)  # post -> ack, s
    accepted_by_channel: Counter[str] = field(default_factory=Counter)
    window: tuple[float, float] = (0.0, 0.0)  # when sending started and stopped (monotonic)
    finished: bool = False  # the bench closes its sockets from here on

    @property
    def sent_count(self) -> int:
        return sum(len(sequences) for sequences in self.sent.values())

    @property
    def answered(self) -> int:
        return len(self.acked_at) + len(self.refused)

    def connected(self) -> list[Reader]:
        return [reader for reader in self.readers if reader.closed is None]

    def undelivered(self) -> int:
        """Messages accepted so far that a connected reader has not received yet."""
        return sum(max(0, self.accepted_by_channel[r.channel] - len(r.received))
                   for r in self.connected())


def unbatched(frame: dict[str, Any]) -> list[dict[str, Any]]:
    """The frames a (batch) frame holds."""
    inner: list[dict[str, Any]] = frame["frames"] if frame.get("type") == "batch" else [frame]
    return inner


async def read(ws: ClientConnection, reader: Reader, tally: Tally) -> None:
    try:
        async for raw in ws:
            received = time.time()
            for message in unbatched(msgspec.json.decode(raw)):
                if message.get("type") != "message":
                    continue
                sent, sequence = message["text"].split()
                tally.latencies.append(received - float(sent))
                reader.received.append(int(sequence))
    except ConnectionClosed:
        pass
    if not tally.finished:
        reader.closed = f"{ws.close_code} {ws.close_reason or ''}".strip()


async def post(ws: ClientConnection, channel: str, tally: Tally) -> None:
    """Acks and errors, by the nonce (the sequence) they answer; the sender's own messages
    come back too, and are ignored."""
    try:
        async for raw in ws:
            arrived = time.monotonic()
            for frame in unbatched(msgspec.json.decode(raw)):
                kind, nonce = frame.get("type"), frame.get("nonce")
                if kind == "ack" and isinstance(nonce, int):
                    tally.acked_at[nonce] = arrived
                    tally.accepted_by_channel[channel] += 1
                elif kind == "error" and isinstance(nonce, int):
                    tally.refused[nonce] = frame.get("reason", "?")
                elif kind == "error":
                    tally.unattributed[frame.get("reason", "?")] += 1
    except ConnectionClosed:
        pass
    if not tally.finished:
        tally.unattributed[f"sender socket closed: {ws.close_code} {ws.close_reason}"] += 1


class Listener(Protocol):
    """A reader's connection, whatever its protocol."""

    async def listen(self, reader: Reader, tally: Tally) -> None: ...

    async def close(self) -> None: ...


# (channel, gateway number, the gate of connections opening at once) -> a reader's connection
ReaderOpener = Callable[[str, int, asyncio.Semaphore], Awaitable[Listener]]


@dataclass
class JsonListener:
    ws: ClientConnection

    async def listen(self, reader: Reader, tally: Tally) -> None:
        await read(self.ws, reader, tally)

    async def close(self) -> None:
        await self.ws.close()


def json_readers(url_of: UrlOf) -> ReaderOpener:
    async def open_reader(channel: str, gateway: int, gate: asyncio.Semaphore) -> Listener:
        return JsonListener(await open_socket(url_of(channel, gateway), None, gate))
    return open_reader


async def open_socket(url: str, token: str | None, gate: asyncio.Semaphore) -> ClientConnection:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    async with gate:
        ws = await connect(url, additional_headers=headers, max_queue=None, open_timeout=30,
                           ping_interval=None)
        while (frame := msgspec.json.decode(await ws.recv())).get("type") != "join":
            if frame.get("type") == "error":
                raise RuntimeError(f"joining {url} failed: {frame}")
        return ws


async def pace(senders: dict[str, ClientConnection], load: Load, tally: Tally,
               sent_at: dict[int, float]) -> None:
    """Round-robin over the channels so that `rate` messages leave per second in total."""
    channels, started, sent = load.channels, time.monotonic(), 0
    while (elapsed := time.monotonic() - started) < load.seconds:
        for _ in range(int(elapsed * load.rate) - sent):
            channel = channels[sent % len(channels)]
            text = f"{time.time():.6f} {sent}"
            sent_at[sent] = time.monotonic()
            tally.sent.setdefault(channel, []).append(sent)
            try:
                await senders[channel].send(msgspec.json.encode(
                    {"type": "message", "text": text, "nonce": sent}).decode())
            except ConnectionClosed:
                tally.refused[sent] = "sender socket closed"
            sent += 1
        await asyncio.sleep(0.005)
    tally.window = (started, time.monotonic())


async def drained(tally: Tally, limit_s: float) -> None:
    """Until every message is answered and every accepted one delivered to every connected
    reader, or the limit passes."""
    for _ in range(int(limit_s / 0.05)):
        if tally.answered >= tally.sent_count and tally.undelivered() == 0:
            return
        await asyncio.sleep(0.05)


async def run_load(url_of: UrlOf, load: Load, window: Window,
                   open_reader: ReaderOpener | None = None) -> Tally:
    """Senders post over JSON WebSockets (their acks carry the nonces); readers read over
    `open_reader`'s connections, JSON WebSockets by default."""
    tally, gate = Tally(), asyncio.Semaphore(CONNECTS_AT_ONCE)
    count, opener = len(load.channels), open_reader or json_readers(url_of)
    # Reader i reads channel i mod C through gateway (i div C) mod G: every channel is read
    # through every gateway, and sender j posts through gateway j mod G.
    tally.readers = [Reader(load.channels[i % count]) for i in range(load.sockets)]
    readers = await asyncio.gather(*(
        opener(r.channel, (i // count) % load.gateways, gate)
        for i, r in enumerate(tally.readers)))
    senders = dict(zip(load.channels, await asyncio.gather(*(
        open_socket(url_of(c, j % load.gateways), load.tokens[c], gate)
        for j, c in enumerate(load.channels))), strict=True))
    tasks = [asyncio.create_task(listener.listen(r, tally))
             for listener, r in zip(readers, tally.readers, strict=True)]
    tasks += [asyncio.create_task(post(ws, c, tally)) for c, ws in senders.items()]
    sent_at: dict[int, float] = {}
    try:
        window.start()
        await pace(senders, load, tally, sent_at)
        window.stop()
        await drained(tally, DRAIN_S)
    finally:
        tally.finished = True
        for listener in readers:
            await listener.close()
        for ws in senders.values():
            await ws.close()
        await asyncio.gather(*tasks, return_exceptions=True)
    tally.ack_latencies = [at - sent_at[s] for s, at in tally.acked_at.items() if s in sent_at]
    return tally
