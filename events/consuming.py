"""Reading what has arrived, without spinning on a broker that answers empty fetches at once.

A Kafka broker holds an empty fetch until data arrives or fetch.wait.max.ms passes (a long
poll); some Kafka-protocol brokers (the local one among them) answer at once, and librdkafka's
fetcher then asks again in a tight loop: thousands of requests a second per idle consumer,
half a core each. So an idle consumer rests with its partitions paused: until a wake-up says
one of its topics has something new, or its longest rest is over (events.wakeup).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from confluent_kafka import OFFSET_BEGINNING, Consumer, Message, TopicPartition

from events.wakeup import WAKEUPS, Wakeups

log = logging.getLogger(__name__)

# How long to wait for a first message before resting. It must outlast a fetch round trip:
# pausing discards the fetch in flight, and with 5 ms a fresh partition could go unread for
# seconds on a loaded machine (measured: 0.3 s for every first message at 30 ms).
WAIT_S = 0.03
# How long an idle consumer does not fetch unless woken: from REST_S, doubling while it stays
# idle, up to the process's longest rest (events.wakeup).
REST_S = 0.02
# How long a woken reader reads without resting again: a wake-up means records are there, and
# on a loaded machine the fetch after a resume can take longer than WAIT_S (resting again would
# discard it, and the records would wait for the next wake-up).
WOKEN_S = 1.0


def end_offsets(consumer: Consumer, topic: str, partitions: Sequence[int]) -> list[TopicPartition]:
    """Each partition at its current end (high watermark): where the next event will land."""
    return [TopicPartition(topic, p, int(consumer.get_watermark_offsets(
        TopicPartition(topic, p), timeout=10)[1])) for p in partitions]


class RestingReader:
    """Batches from a consumer, which it assigns (`assign`)."""

    def __init__(self, consumer: Consumer, name: str = "", wakeups: Wakeups = WAKEUPS) -> None:
        self.consumer = consumer
        self.name = name  # given: said in the log once it rests as long as it may
        self.wakeups = wakeups
        self.next_offsets: dict[tuple[str, int], int] = {}
        self.held: set[tuple[str, int]] = set()
        self.rest_s = REST_S
        self.unsaturated_at: float | None = None  # when a read last came back not full (nor empty)
        self.topics: frozenset[str] = frozenset()
        self.resting: list[TopicPartition] = []  # paused while idle
        self.rest_until = 0.0
        self.rest_seen = 0  # the wake-up mark when the rest began
        self.woken_until = 0.0  # reading without rest until then, or until something comes

    def assign(self, partitions: Sequence[TopicPartition]) -> None:
        """Assign the partitions from these offsets, a logical beginning or end resolved to
        a number first: a partition paused while the consumer still resolves its logical
        start can stay silent for good (seen with the local broker)."""
        starts = [self._concrete(tp) for tp in partitions]
        self._wake()
        if self.held:
            # A partition keeps its pause across a new assignment: held ones would stay silent.
            self.consumer.resume([TopicPartition(t, p) for t, p in self.held])
        self.consumer.assign(starts)
        self.next_offsets = {(tp.topic, tp.partition): tp.offset for tp in starts}
        self.topics = frozenset(tp.topic for tp in starts)
        self.held = set()

    def _concrete(self, tp: TopicPartition) -> TopicPartition:
        if tp.offset >= 0:
            return tp
        low, high = self.consumer.get_watermark_offsets(
            TopicPartition(tp.topic, tp.partition), timeout=10)
        return TopicPartition(tp.topic, tp.partition, low if tp.offset == OFFSET_BEGINNING
                              else high)

    def available(self, limit: int, timeout_s: float) -> list[Message]:
        """Up to `limit` messages as soon as one has arrived, or none after about `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while True:
            if self.resting and not self._rested(deadline):
                return []
            seen = self.wakeups.seen(self.topics)
            first = self.consumer.poll(WAIT_S)
            if first is not None:
                self.rest_s, self.woken_until = REST_S, 0.0
                read = self._read([first, *self.consumer.consume(limit - 1, timeout=0)])
                self.unsaturated_at = time.monotonic() if len(read) < limit else None
                return read
            if time.monotonic() >= deadline:
                # Nothing came: it has rested meanwhile, and another pause now would only
                # discard a fetch that a loaded machine is slow to answer.
                self.unsaturated_at = None
                return []
            if self.wakeups.resting and time.monotonic() >= self.woken_until \
                    and not self._behind():
                self._rest(seen)

    def keep_pace(self, interval_s: float) -> None:
        """Read at most every `interval_s` while reads bring records but not a full batch:
        rest (paused) for what is left of it. On a broker that answers fetches at once a
        consumer kept busy by a trickle otherwise fetches without pause; this bounds its
        fetches, and its batches grow, for a latency of at most `interval_s`."""
        if self.unsaturated_at is None or interval_s <= 0:
            return
        left = self.unsaturated_at + interval_s - time.monotonic()
        if left > 0:
            self._pause_for(left)

    def _behind(self) -> bool:
        """Whether a partition has more to read than has arrived, by the high watermarks the
        last fetches reported: resting then would only discard the fetches bringing it."""
        return self.lag() > 0

    def lag(self) -> int:
        """Records behind the ends of the partitions read, as the last fetches reported them."""
        behind = 0
        for (topic, partition), offset in self.next_offsets.items():
            high = self.consumer.get_watermark_offsets(
                TopicPartition(topic, partition), cached=True)[1]
            if (topic, partition) not in self.held and 0 <= offset < high:
                behind += high - offset
        return behind

    def hold(self, partitions: Sequence[tuple[str, int]]) -> None:
        """Stop reading these partitions (until the next `assign`)."""
        self.held.update(partitions)
        self.consumer.pause([TopicPartition(t, p) for t, p in partitions])

    def _read(self, messages: list[Message]) -> list[Message]:
        for m in messages:
            topic, partition, offset = m.topic(), m.partition(), m.offset()
            if m.error() is None and topic is not None and partition is not None \
                    and offset is not None:
                self.next_offsets[(topic, partition)] = offset + 1
        return messages

    def _rest(self, seen: int) -> None:
        """Pause until woken (something produced on a topic read since `seen`) or rested
        enough; `available` waits for either and resumes."""
        self.resting = [tp for tp in self.consumer.assignment()
                        if (tp.topic, tp.partition) not in self.held]
        self.consumer.pause(self.resting)
        self.unsaturated_at = None
        self.rest_seen = seen
        self.rest_until = time.monotonic() + self.rest_s
        longest = self.wakeups.longest_rest_s
        if self.name and self.rest_s < longest <= self.rest_s * 2:
            log.info("%s rests: nothing to read; it reads again once woken, or in %.0f s",
                     self.name, longest)
        self.rest_s = min(self.rest_s * 2, longest)
        self.wakeups.rest_on(self, {(tp.topic, tp.partition): self.next_offsets[
            (tp.topic, tp.partition)] for tp in self.resting
            if (tp.topic, tp.partition) in self.next_offsets})

    def _rested(self, deadline: float) -> bool:
        """Wait out the rest until the deadline; whether it is over (and reading resumed)."""
        until = min(deadline, self.rest_until)
        woken = self.wakeups.wait(self.topics, self.rest_seen, until - time.monotonic())
        if woken:
            self.rest_s, self.woken_until = REST_S, time.monotonic() + WOKEN_S
        elif time.monotonic() < self.rest_until:
            return False
        self._wake()
        return True

    def _wake(self) -> None:
        if self.resting:
            self.wakeups.rest_over(self)
            self._resume([tp for tp in self.resting if (tp.topic, tp.partition) not in self.held])
            self.resting = []

    def close(self) -> None:
        self._wake()
        self.consumer.close()

    def _pause_for(self, seconds: float) -> None:
        """Pause, wait, resume."""
        resting = [tp for tp in self.consumer.assignment()
                   if (tp.topic, tp.partition) not in self.held]
        self.consumer.pause(resting)
        time.sleep(seconds)
        self._resume(resting)

    def _resume(self, partitions: list[TopicPartition]) -> None:
        """Resume, then seek back to where reading stands, since a resumed partition that has
        delivered nothing yet would otherwise be reset by policy."""
        self.consumer.resume(partitions)
        for tp in partitions:
            offset = self.next_offsets.get((tp.topic, tp.partition))
            if offset is not None:
                self.consumer.seek(TopicPartition(tp.topic, tp.partition, offset))
