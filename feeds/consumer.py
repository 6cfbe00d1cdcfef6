"""Drive a feed from Kafka in batches, each partition from just after its checkpoint."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from confluent_kafka import (
    OFFSET_BEGINNING,
    TIMESTAMP_NOT_AVAILABLE,
    Consumer,
    KafkaException,
    TopicPartition,
)
from confluent_kafka import Message as KafkaMessage

from events.consuming import RestingReader
from events.dead_letters import headers_of
from events.errors import UnprocessableMessage
from feeds.checkpoints import Partition
from feeds.failures import is_transient
from feeds.feed import Feed
from feeds.leases import PartitionLeases
from feeds.records import LogRecord
from feeds.reports import Reporter

log = logging.getLogger(__name__)

ERROR_CHARS = 2000  # of a failure's message, kept with a parked record


def consumer_config(bootstrap: str, group: str) -> dict[str, object]:
    return {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        # Offsets live in PostgreSQL with the rows; nothing is committed to Kafka.
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "fetch.wait.max.ms": 50,
        "queued.min.messages": 20000,
        "session.timeout.ms": 10000,
    }


class FeedConsumer:
    """Reads this worker's share of a feed's partitions, each from just after its checkpoint.

    No consumer-group membership: the positions live in the feed's store with what it wrote,
    and the workers running the feed share its partitions by PostgreSQL locks (feeds.leases).
    """

    def __init__(self, bootstrap: str, feed: Feed, batch_size: int,
                 pace_s: float = 0.0) -> None:
        self.feed = feed
        self.batch_size = batch_size
        self.pace_s = pace_s  # following the log, read at most this often unless saturated
        self.consumer = Consumer(consumer_config(bootstrap, f"castline-projection-{feed.name}"))
        self.reader = RestingReader(self.consumer, f"feed {feed.name}")
        # Where reading stood when applying failed for a reason not transient: up to there,
        # records are applied in ever smaller parts until the failing ones are found and parked.
        self.suspect: dict[Partition, int] = {}
        self.partitions: list[Partition] = []  # of the feed's topics
        self.held: frozenset[Partition] = frozenset()  # this worker's share, read and applied

    def run(self, stop: threading.Event, leases: PartitionLeases) -> None:
        """Apply what arrives in this worker's share of the partitions until stopped."""
        try:
            # Listed first: once joined, the others leave this worker its share.
            self.partitions = self._partitions()
            leases.join()
            reporter = Reporter(leases.conn, self.feed.name)
            while not stop.is_set():
                if leases.due():
                    self._balance(leases)
                self.reader.keep_pace(self.pace_s)
                if self.poll_once(timeout_s=0.2):
                    reporter.moved()
                if self.feed.tick():
                    self.assign(self._start_positions())
                reporter.report(self.reader.lag(), len(leases.held))
        finally:
            try:
                # Also when reading failed: a write still in flight lands before the next feed
                # reads the checkpoints, so that two writers never overlap.
                self.feed.flush()
            finally:
                self.reader.close()

    def _balance(self, leases: PartitionLeases) -> None:
        share = leases.share(self.partitions)
        if share == leases.held:
            return
        # What this worker lets go of is durable before another one reads its checkpoints.
        self.feed.flush()
        if leases.settle(share):
            self.held = frozenset(leases.held)
            # Records at fault are looked for only where this worker still reads.
            self.suspect = {tp: last for tp, last in self.suspect.items() if tp in self.held}
            self.assign(self._start_positions())

    def assign(self, positions: list[TopicPartition]) -> None:
        self.reader.assign(positions)

    def poll_once(self, timeout_s: float) -> int:
        """Apply what has arrived; return how many records were read."""
        messages = self.reader.available(self.batch_size, timeout_s)
        # A record fetched before its partition was let go of is another worker's now.
        records = [r for r in map(_record, filter(_usable, messages))
                   if (r.topic, r.partition) in self.held]
        if not self.apply(records):
            self.assign(self._start_positions())
        return len(records)

    def apply(self, records: Sequence[LogRecord]) -> bool:
        """Apply the records (none: make what is applied durable, so that a feed that writes
        behind reports a failure while idle too); False when that failed for a reason that is
        not transient: the caller then reads again from the checkpoints, and the records up to
        where reading stood are applied in parts until the failing ones are found and parked."""
        if self.suspect and records:
            self.isolate(records)
            self.suspect = {tp: last for tp, last in self.suspect.items()
                            if self.reader.next_offsets.get(tp, 0) <= last}
            return True
        try:
            if records:
                self.feed.apply_batch(records)
            else:
                self.feed.flush()
        except Exception as error:
            if is_transient(error):
                raise
            log.error("feed %s failed applying %d records; finding the records at fault",
                      self.feed.name, len(records), exc_info=error)
            self.suspect = {tp: offset - 1 for tp, offset in self.reader.next_offsets.items()}
            return False
        return True

    def isolate(self, records: Sequence[LogRecord]) -> None:
        """Apply the records, each part made durable, in halves while a part fails; park a
        record that fails alone, so that no record can stop the feed."""
        try:
            self.feed.apply_batch(records)
            self.feed.flush()
        except Exception as error:
            if is_transient(error):
                raise
            if len(records) == 1:
                self._refuse(records[0], error)
                return
            half = len(records) // 2
            self.isolate(records[:half])
            self.isolate(records[half:])

    def _refuse(self, record: LogRecord, error: Exception) -> None:
        log.error("feed %s cannot apply the record at %s/%d/%d", self.feed.name,
                  record.topic, record.partition, record.offset, exc_info=error)
        reason = f"{type(error).__name__}: {' '.join(str(error).split())}"[:ERROR_CHARS]
        self.feed.apply_batch([replace(record, refusal=UnprocessableMessage(reason))])
        self.feed.flush()

    def catch_up(self, targets: dict[Partition, int], applied: Callable[[int], object],
                 stop: threading.Event) -> None:
        """Apply every record after the checkpoint up to and including its partition's target
        offset, and none beyond it, unless stopped; report each batch's size to `applied`."""
        pending = self._read_towards(targets)
        while not stop.is_set():
            if not pending:
                # What a feed writes behind fails here at the latest: the records at fault are
                # then found and parked as anywhere else, reading again from the checkpoints.
                if self.apply([]):
                    return
                pending = self._read_towards(targets)
                continue
            messages = self.reader.available(self.batch_size, timeout_s=1.0)
            records = [r for r in map(_record, filter(_usable, messages))
                       if r.offset <= targets[(r.topic, r.partition)]]
            if records:
                if not self.apply(records):
                    pending = self._read_towards(targets)
                    continue
                applied(len(records))
            done = [tp for tp in pending if self.reader.next_offsets.get(tp, 0) > pending[tp]]
            for tp in done:
                del pending[tp]
            self.reader.hold(done)
        self.feed.flush()

    def _read_towards(self, targets: dict[Partition, int]) -> dict[Partition, int]:
        """Read the partitions not yet at their targets from their checkpoints; return those."""
        reached = self.feed.checkpoints()
        pending = {tp: target for tp, target in targets.items() if reached.get(tp, -1) < target}
        self.assign([TopicPartition(t, p, reached.get((t, p), -1) + 1 if (t, p) in reached
                                    else OFFSET_BEGINNING) for t, p in sorted(pending)])
        return pending

    def _partitions(self) -> list[Partition]:
        """Every partition of the feed's topics, as the broker has them now."""
        partitions: list[Partition] = []
        for topic in self.feed.topics:
            metadata = self.consumer.list_topics(topic, timeout=15).topics[topic]
            if metadata.error is not None:
                raise KafkaException(metadata.error)
            partitions.extend((topic, p) for p in sorted(metadata.partitions))
        return partitions

    def _start_positions(self) -> list[TopicPartition]:
        """The partitions this worker holds, each from just after its checkpoint."""
        reached = self.feed.checkpoints()
        positions = []
        for topic, partition in sorted(self.held):
            offset = reached.get((topic, partition), -1)
            start = OFFSET_BEGINNING if offset < 0 else offset + 1
            positions.append(TopicPartition(topic, partition, start))
        log.info("feed %s reads from %s", self.feed.name,
                 [(tp.topic, tp.partition, tp.offset) for tp in positions])
        return positions


def _usable(message: KafkaMessage) -> bool:
    error = message.error()
    if error is None:
        return True
    if error.fatal():
        raise KafkaException(error)
    log.warning("consumer error topic=%s partition=%s: %s",
                message.topic(), message.partition(), error)
    return False


def _record(message: KafkaMessage) -> LogRecord:
    topic, partition, offset = message.topic(), message.partition(), message.offset()
    assert topic is not None
    assert partition is not None
    assert offset is not None
    kind, timestamp_ms = message.timestamp()
    return LogRecord(topic, partition, offset, message.key(), message.value(),
                  tuple(headers_of(message)),
                  None if kind == TIMESTAMP_NOT_AVAILABLE else timestamp_ms)
