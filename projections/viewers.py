"""Concurrent viewers per channel: a sliding window in Redis, copied to PostgreSQL periodically.

Each channel has a sorted set of viewers scored by their last heartbeat; a viewer counts while
their last heartbeat is under WINDOW_S old, so two tabs of one user count once and a stopped
player drops out within the window (60 s by default). A batch is written in one MULTI
transaction, then its checkpoint: Redis applies the other commands of a transaction when one
fails, so the checkpoint waits until the batch is known to be written (writing it again after a
crash changes nothing: a viewer is counted once, at their latest heartbeat).

A heartbeat whose channel PostgreSQL cannot hold (the counts are copied there) is parked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import psycopg
import redis

from events.base import Message
from events.errors import UndecodableMessage, UnprocessableMessage
from events.storable import UNSTORABLE
from events.views import VIEW_HEARTBEATS_TOPIC, ViewHeartbeat
from feeds.checkpoints import Partition
from feeds.parking import DeadLetterSink, decode_or_park, park
from feeds.records import LogRecord

log = logging.getLogger(__name__)

CHECKPOINTS = "checkpoints:viewers"
LIVE_SET = "viewers:channels"


def viewers_key(channel: str) -> str:
    """Never LIVE_SET, whatever the channel's name."""
    return f"viewers:channel:{channel}"


class ViewerCounter:
    name = "viewers"
    topics: tuple[str, ...] = (VIEW_HEARTBEATS_TOPIC,)

    def __init__(self, conn: psycopg.Connection, client: redis.Redis,
                 decode: Callable[[bytes], Message], dead_letters: DeadLetterSink,
                 window_s: float = 60, sweep_every_s: float = 5) -> None:
        self.window_s = window_s
        self.sweep_every_s = sweep_every_s
        self.conn = conn
        self.redis = client
        self.decode = decode
        self.dead_letters = dead_letters
        self.last_sweep = 0.0

    def checkpoints(self) -> dict[Partition, int]:
        stored: dict[bytes, bytes] = self.redis.hgetall(CHECKPOINTS)  # type: ignore[assignment]
        return {_partition(k): int(v) for k, v in stored.items()}

    def apply_batch(self, records: Sequence[LogRecord]) -> int:
        reached = self.checkpoints()
        fresh = [r for r in records if r.offset > reached.get((r.topic, r.partition), -1)]
        envelopes, _ = decode_or_park(fresh, self.decode, self.dead_letters, self.name)
        at = {(r.topic, r.partition, r.offset): r for r in fresh}
        beats = self._storable([(at[(e.topic, e.partition, e.offset)], e.message)
                                for e in envelopes if isinstance(e.message, ViewHeartbeat)])
        if beats:
            with self.redis.pipeline(transaction=True) as pipe:
                for beat in beats:
                    pipe.zadd(viewers_key(beat.channel),
                              {beat.viewer_id: beat.occurred_at.timestamp()}, gt=True)
                    pipe.sadd(LIVE_SET, beat.channel)
                pipe.execute()
        if fresh:
            self.redis.hset(CHECKPOINTS, mapping={f"{r.topic}/{r.partition}": r.offset
                                                  for r in fresh})
        return len(beats)

    def _storable(self, beats: Sequence[tuple[LogRecord, ViewHeartbeat]]) -> list[ViewHeartbeat]:
        """The heartbeats whose channel the read model can hold; the others are parked."""
        refused: list[tuple[LogRecord, UndecodableMessage]] = [
            (record, UnprocessableMessage("channel: text with a NUL character cannot be stored"))
            for record, beat in beats if UNSTORABLE in beat.channel]
        park(refused, self.dead_letters, self.name)
        return [beat for _, beat in beats if UNSTORABLE not in beat.channel]

    def flush(self) -> None:
        """Each batch is written before apply_batch returns."""

    def tick(self) -> bool:
        if time.monotonic() - self.last_sweep >= self.sweep_every_s:
            self.sweep()
        return False

    def sweep(self) -> dict[str, int]:
        """Drop viewers out of the window; copy every count to the channels read model."""
        self.last_sweep = time.monotonic()
        oldest = time.time() - self.window_s
        members: set[bytes] = self.redis.smembers(LIVE_SET)  # type: ignore[assignment]
        channels = sorted(c.decode() for c in members)
        with self.redis.pipeline() as pipe:
            for channel in channels:
                pipe.zremrangebyscore(viewers_key(channel), "-inf", oldest)
                pipe.zcard(viewers_key(channel))
            results = pipe.execute()
        counts = dict(zip(channels, results[1::2], strict=True))
        with self.conn.transaction():
            self.conn.execute(
                "UPDATE channels c SET viewer_count = u.n FROM unnest(%s::text[], %s::int[]) "
                "AS u(channel, n) WHERE c.channel = u.channel AND c.viewer_count <> u.n",
                (list(counts), list(counts.values())))
        idle = [c for c, n in counts.items() if n == 0]
        if idle:
            self.redis.srem(LIVE_SET, *idle)
        return counts


def _partition(key: bytes) -> Partition:
    topic, _, partition = key.decode().rpartition("/")
    return topic, int(partition)
