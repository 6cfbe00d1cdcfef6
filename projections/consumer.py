"""Feed a projection from Kafka in batches, starting where its PostgreSQL checkpoint says."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

import psycopg
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, TopicPartition
from confluent_kafka import Message as KafkaMessage

from events.dead_letters import DEAD_LETTERS_TOPIC, DeadLetter
from events.producer import DeliveryFailed, make_producer
from projections import checkpoints
from projections.runner import ProjectionRunner, Record

log = logging.getLogger(__name__)


def consumer_config(bootstrap: str, group: str) -> dict[str, object]:
    return {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        # Offsets live in PostgreSQL with the rows; Kafka commits are only for lag dashboards.
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "fetch.wait.max.ms": 50,
        "queued.min.messages": 20000,
        "session.timeout.ms": 10000,
    }


class KafkaDeadLetterSink:
    def __init__(self, bootstrap: str) -> None:
        self.producer = make_producer(bootstrap)

    def park(self, letters: Sequence[DeadLetter]) -> None:
        failures: list[str] = []

        def delivered(error: object, _message: KafkaMessage) -> None:
            if error is not None:
                failures.append(str(error))

        for letter in letters:
            headers: list[tuple[str, str | bytes | None]] = list(letter.headers)
            self.producer.produce(
                DEAD_LETTERS_TOPIC, key=letter.key, value=letter.value,
                headers=headers, on_delivery=delivered,
            )
        if self.producer.flush(30) > 0 or failures:
            raise DeliveryFailed(f"dead letters not acknowledged: {failures}")


class ProjectionConsumer:
    """One consumer per projection; the group only splits partitions between workers."""

    def __init__(self, bootstrap: str, runner: ProjectionRunner, batch_size: int) -> None:
        self.runner = runner
        self.batch_size = batch_size
        name = runner.projection.name
        self.consumer = Consumer(consumer_config(bootstrap, f"castline-projection-{name}"))

    def run(self, stop: threading.Event) -> None:
        topics = list(self.runner.projection.topics)
        self.consumer.subscribe(topics, on_assign=self._on_assign)
        try:
            while not stop.is_set():
                self.poll_once(timeout_s=0.2)
        finally:
            self.consumer.close()

    def poll_once(self, timeout_s: float) -> int:
        messages = self.consumer.consume(self.batch_size, timeout=timeout_s)
        records = [_record(m) for m in messages if _usable(m)]
        if not records:
            return 0
        applied = self.runner.apply_batch(records)
        self.consumer.commit(asynchronous=True)
        return applied

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Start each partition right after its checkpoint, or at the beginning of the log."""
        conn = self.runner.conn
        reached = checkpoints.load(conn, self.runner.projection.name)
        for tp in partitions:
            offset = reached.get((tp.topic, tp.partition))
            tp.offset = OFFSET_BEGINNING if offset is None or offset < 0 else offset + 1
        log.info("projection %s assigned %s", self.runner.projection.name,
                 [(tp.topic, tp.partition, tp.offset) for tp in partitions])
        consumer.assign(partitions)


def _usable(message: KafkaMessage) -> bool:
    error = message.error()
    if error is None:
        return True
    if error.fatal():
        raise KafkaException(error)
    log.warning("consumer error topic=%s partition=%s: %s",
                message.topic(), message.partition(), error)
    return False


def _record(message: KafkaMessage) -> Record:
    topic, partition, offset = message.topic(), message.partition(), message.offset()
    assert topic is not None
    assert partition is not None
    assert offset is not None
    return Record(topic, partition, offset, message.key(), message.value())


def connect(dsn: str) -> psycopg.Connection:
    return psycopg.connect(dsn, autocommit=True)
