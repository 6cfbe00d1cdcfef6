"""Producing messages: acks=all, idempotent, keyed by aggregate; delivery confirmed (but for
answers a retry can ask for again, which are sent without waiting)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Message, Producer

from events.base import Message as Record
from events.positions import Position
from events.wakeup import WAKEUPS

log = logging.getLogger(__name__)

RELIABLE = {
    "acks": "all",
    "enable.idempotence": True,
    "linger.ms": 2,
    # The same key-to-partition mapping as Java clients and aiokafka (Faust).
    "partitioner": "murmur2_random",
}

Encode = Callable[[Record], bytes]


class DeliveryFailed(Exception):
    pass


def make_producer(bootstrap: str, **overrides: Any) -> Producer:
    return Producer({"bootstrap.servers": bootstrap, **RELIABLE, **overrides})


def _position(message: Message) -> Position:
    topic, partition, offset = message.topic(), message.partition(), message.offset()
    assert topic is not None
    assert partition is not None
    assert offset is not None
    return Position(topic, partition, offset)


class EventProducer:
    """Blocking sends, for workers and tools."""

    def __init__(self, bootstrap: str, encode: Encode) -> None:
        self.producer = make_producer(bootstrap)
        self.encode = encode

    def send(self, records: Sequence[Record], timeout_s: float = 30.0) -> list[Position]:
        """Produce all records, then wait until every one is acknowledged."""
        results: list[Position | KafkaError | None] = [None] * len(records)

        def delivered(index: int) -> Callable[[KafkaError | None, Message], None]:
            def callback(error: KafkaError | None, message: Message) -> None:
                results[index] = error if error is not None else _position(message)

            return callback

        for index, record in enumerate(records):
            self._produce(record, delivered(index))
        if self.producer.flush(timeout_s) > 0:
            raise DeliveryFailed(f"{len(self.producer)} messages not acknowledged in {timeout_s}s")
        positions = [_checked(result) for result in results]
        WAKEUPS.produced({position.topic for position in positions})
        return positions

    def send_soon(self, records: Sequence[Record]) -> None:
        """Produce without waiting for acknowledgements: for answers a retry can ask for again.
        A failed delivery is logged; the next send's flush waits for these as well."""
        for record in records:
            self._produce(record, _logged_failure(record))
        self.producer.poll(0)
        # Readers are woken now, not at the acknowledgement: a woken reader reads on for a while.
        WAKEUPS.produced({record.topic for record in records})

    def drain(self, timeout_s: float = 30.0) -> None:
        """Wait until what was sent soon is delivered (or reported failed)."""
        left = self.producer.flush(timeout_s)
        if left:
            log.error("%d messages sent soon were not delivered within %.0f s", left, timeout_s)

    def _produce(self, record: Record, callback: Callable[..., None]) -> None:
        while True:
            try:
                self.producer.produce(
                    record.topic, key=record.key().encode(), value=self.encode(record),
                    on_delivery=callback,
                )
                return
            except BufferError:
                self.producer.poll(0.05)

    def close(self) -> None:
        self.producer.flush(30)


def _logged_failure(record: Record) -> Callable[[KafkaError | None, Message], None]:
    def callback(error: KafkaError | None, message: Message) -> None:
        if error is not None:
            log.error("could not deliver %s to %s: %s", type(record).__name__, record.topic, error)

    return callback


def _checked(result: Position | KafkaError | None) -> Position:
    if isinstance(result, Position):
        return result
    raise DeliveryFailed(f"delivery failed: {result}")


class AsyncEventProducer:
    """Sends from an event loop: a thread serves delivery reports and resolves futures."""

    def __init__(self, bootstrap: str, encode: Encode) -> None:
        self.producer = make_producer(bootstrap)
        self.encode = encode
        self._closing = threading.Event()
        self._poller = threading.Thread(target=self._poll, name="producer-poll", daemon=True)
        self._poller.start()

    def _poll(self) -> None:
        while not self._closing.is_set():
            self.producer.poll(0.05)

    async def send(self, record: Record) -> Position:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Position] = loop.create_future()

        def callback(error: KafkaError | None, message: Message) -> None:
            if error is None:
                WAKEUPS.produced((record.topic,))
            loop.call_soon_threadsafe(_settle, future, error, message)

        try:
            self.producer.produce(
                record.topic, key=record.key().encode(), value=self.encode(record),
                on_delivery=callback,
            )
        except (BufferError, KafkaException) as error:
            raise DeliveryFailed(f"could not enqueue {record.topic}: {error}") from error
        return await future

    def close(self) -> None:
        self.producer.flush(10)
        self._closing.set()
        self._poller.join()


def _settle(future: asyncio.Future[Position], error: KafkaError | None, message: Message) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(DeliveryFailed(f"delivery failed: {error}"))
    else:
        future.set_result(_position(message))
