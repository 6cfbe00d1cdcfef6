"""Small helpers for the contract tests."""

from __future__ import annotations

from uuid import uuid4

from confluent_kafka import Consumer, KafkaError, Message, Producer

from events.producer import RELIABLE
from tests.waiting import until


def producer(bootstrap: str, **extra: object) -> Producer:
    return Producer({"bootstrap.servers": bootstrap, **RELIABLE, **extra})


def produce_all(
    bootstrap: str, topic: str, items: list[tuple[bytes, bytes]], partition: int | None = None,
    timestamps: list[int] | None = None,
) -> list[Message]:
    """Produce and return the delivery reports, in the order they arrived."""
    reports: list[Message] = []

    def delivered(error: KafkaError | None, message: Message) -> None:
        assert error is None, error
        reports.append(message)

    p = producer(bootstrap)
    for index, (key, value) in enumerate(items):
        p.produce(
            topic, key=key, value=value, on_delivery=delivered,
            partition=-1 if partition is None else partition,
            timestamp=0 if timestamps is None else timestamps[index],
        )
    assert p.flush(30) == 0
    return reports


def consumer(bootstrap: str, group: str | None = None, **extra: object) -> Consumer:
    return Consumer({
        "bootstrap.servers": bootstrap, "group.id": group or f"contract-{uuid4()}",
        "auto.offset.reset": "earliest", "enable.auto.commit": False,
        "session.timeout.ms": 6000, **extra,
    })


def consume_n(c: Consumer, count: int, timeout_s: float = 20) -> list[Message]:
    got: list[Message] = []

    def poll() -> int:
        got.extend(m for m in c.consume(500, timeout=0.2) if m.error() is None)
        return len(got)

    until(poll, lambda n: n >= count, timeout_s, f"{count} messages")
    return got
