"""What every replay does, whatever the store: apply the log up to the live projection's
checkpoints (never past them, so both versions can be compared at the same offsets), report
progress, stop early on request, and follow a live projector that keeps moving."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from confluent_kafka import TopicPartition

from feeds.consumer import FeedConsumer
from projections.versions import Digest

Progress = Callable[[int], object]
Positions = dict[tuple[str, int], int]


class ReplayError(Exception):
    """A replay that cannot start or finish, with what to do about it."""


@dataclass(frozen=True)
class ReplayOptions:
    since: datetime | None = None  # start the new version at this time, not the beginning
    restart: bool = False  # throw away an unfinished replay instead of resuming it
    batch_size: int = 5000
    stop_after: int | None = None  # apply about this many events, then stop as if interrupted
    switch: bool = True
    accept_difference: bool = False  # switch even when the versions differ


@dataclass(frozen=True)
class Verification:
    live: list[Digest]
    replayed: list[Digest]
    switched: bool = False

    @property
    def matches(self) -> bool:
        return self.live == self.replayed


@dataclass
class Backlog:
    targets: Positions  # the last offset to apply, per partition
    remaining: int
    resumed: bool
    applied: int = 0


class LogReplay(ABC):
    options: ReplayOptions
    consumer: FeedConsumer

    @abstractmethod
    def prepare(self) -> Backlog:
        """Lead the replay, create (or resume) the new version; what is left to apply."""

    @abstractmethod
    def live_checkpoints(self) -> Positions: ...

    @abstractmethod
    def finish(self) -> Verification:
        """Reach the live offsets, compare both versions, and switch when allowed."""

    @abstractmethod
    def close(self) -> None: ...

    def rebuild(self, backlog: Backlog, progress: Progress) -> bool:
        """Apply the backlog; False when `stop_after` stopped it first."""
        stop = threading.Event()

        def applied(count: int) -> None:
            backlog.applied += count
            progress(count)
            limit = self.options.stop_after
            if limit is not None and backlog.applied >= limit:
                stop.set()

        self.consumer.catch_up(backlog.targets, applied, stop)
        return not stop.is_set()

    def converge(self, progress: Progress) -> None:
        """Follow a running live projector until what is left fits in one batch."""
        while True:
            targets = self.live_checkpoints()
            if self.remaining(targets) <= self.options.batch_size:
                return
            self.consumer.catch_up(targets, progress, threading.Event())

    def remaining(self, targets: Positions) -> int:
        reached = self.consumer.feed.checkpoints()
        return sum(max(0, target - reached.get(tp, -1)) for tp, target in targets.items())

    def offsets_before(self, since: datetime) -> Positions:
        """Per partition the live projection reads, the offset just before the first event
        at or after `since`: where a replay from that time starts."""
        consumer = self.consumer.consumer
        wanted = [TopicPartition(t, p, int(since.timestamp() * 1000))
                  for t, p in self.live_checkpoints()]
        starts = {}
        for tp in consumer.offsets_for_times(wanted, timeout=15):
            offset = tp.offset if tp.offset >= 0 else consumer.get_watermark_offsets(
                TopicPartition(tp.topic, tp.partition), timeout=10)[1]
            starts[(tp.topic, tp.partition)] = offset - 1
        return starts
