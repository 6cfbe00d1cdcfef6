"""Clients and checks for the broker contract tests: confluent-kafka, as the project uses it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import uuid4

from confluent_kafka import (
    OFFSET_BEGINNING,
    Consumer,
    KafkaError,
    Message,
    Producer,
    TopicPartition,
)

from events.producer import RELIABLE
from tests.waiting import until

DEADLINE_S = 20.0


def unique(prefix: str) -> str:
    """A name no earlier run against the same broker has used."""
    return f"contract-{prefix}-{uuid4().hex[:12]}"


def producer(bootstrap: str, config: Mapping[str, object] | None = None) -> Producer:
    """A producer configured like the project's (acks=all, idempotent, murmur2_random)."""
    return Producer({"bootstrap.servers": bootstrap, **RELIABLE, **(config or {})})


def produce_all(
    p: Producer,
    topic: str,
    items: Sequence[tuple[bytes, bytes]],
    partition: int | None = None,
    timestamps: Sequence[int] | None = None,
) -> list[Message]:
    """Produce and flush; return the delivery reports in the order they arrived."""
    reports: list[Message] = []
    errors: list[KafkaError] = []

    def delivered(error: KafkaError | None, message: Message) -> None:
        if error is not None:
            errors.append(error)
        else:
            reports.append(message)

    for index, (key, value) in enumerate(items):
        p.produce(
            topic, key=key, value=value, on_delivery=delivered,
            partition=-1 if partition is None else partition,
            timestamp=0 if timestamps is None else timestamps[index],
        )
    left = p.flush(DEADLINE_S)
    assert left == 0, f"{left} messages not delivered within {DEADLINE_S}s"
    assert not errors, errors
    assert len(reports) == len(items)
    return reports


def consumer(
    bootstrap: str, group: str | None = None, config: Mapping[str, object] | None = None
) -> Consumer:
    """Manual commits, earliest reset, and an event at each partition's end of log."""
    return Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group or unique("group"),
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 500,
        **(config or {}),
    })


def read_to_end(
    c: Consumer, partitions: int, timeout_s: float = DEADLINE_S
) -> list[Message]:
    """Everything up to the end of the log of `partitions` partitions (assigned or subscribed).

    The end is known from the partition-EOF events, so nothing is waited for beyond it.
    Nothing may be produced to the topic meanwhile.
    """
    got: list[Message] = []
    at_end: set[int] = set()

    def poll() -> int:
        for m in c.consume(500, timeout=0.2):
            if _data(m):
                got.append(m)
                at_end.discard(_partition(m))
            else:
                at_end.add(_partition(m))
        return len(at_end)

    until(poll, lambda n: n >= partitions, timeout_s,
          f"the end of all {partitions} partitions", interval_s=0)
    return got


def read_topic(
    bootstrap: str, topic: str, partitions: int, config: Mapping[str, object] | None = None
) -> list[Message]:
    """The whole topic from offset 0, by assignment (no group membership)."""
    c = consumer(bootstrap, config=config)
    try:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
        return read_to_end(c, partitions)
    finally:
        c.close()


def end_offsets(bootstrap: str, topic: str, partitions: int) -> list[int]:
    c = consumer(bootstrap)
    try:
        return [c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
                for p in range(partitions)]
    finally:
        c.close()


def offsets_by_partition(messages: Sequence[Message]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for m in messages:
        offset = m.offset()
        assert offset is not None
        out.setdefault(_partition(m), []).append(offset)
    return out


def _partition(m: Message) -> int:
    partition = m.partition()
    assert partition is not None
    return int(partition)


def _data(m: Message) -> bool:
    """True for a record; False for end-of-partition; anything else fails the test."""
    error = m.error()
    if error is None:
        return True
    assert error.code() == KafkaError._PARTITION_EOF, error
    return False


# Java's org.apache.kafka.common.utils.Utils.murmur2, as the default partitioner uses it.
_SEED = 0x9747B28C
_M = 0x5BD1E995
_MASK = 0xFFFFFFFF


def murmur2(data: bytes) -> int:
    """Unsigned 32-bit result (Java's int reinterpreted)."""
    length = len(data)
    h = (_SEED ^ length) & _MASK
    for i in range(0, length - length % 4, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * _M) & _MASK
        k ^= k >> 24
        k = (k * _M) & _MASK
        h = (h * _M) & _MASK
        h ^= k
    tail = length & ~3
    rest = length % 4
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    h ^= h >> 15
    return h


def java_partition(key: bytes, partitions: int) -> int:
    """Where a Java producer (and aiokafka, and librdkafka's murmur2_random) puts a keyed record."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def as_java_int(value: int) -> int:
    return value - (1 << 32) if value & 0x80000000 else value

