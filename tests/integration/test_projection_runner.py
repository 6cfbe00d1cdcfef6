"""The runner's guarantees against real PostgreSQL and Kafka: no double apply, no silent drop."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import psycopg
import pytest
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka import Message as KafkaMessage

from config.settings import Settings
from events.channels import ChannelCreated, ChannelInfoUpdated
from events.codec import Codec
from events.dead_letters import DEAD_LETTERS_TOPIC
from feeds import checkpoints
from feeds.parking import KafkaDeadLetterSink
from feeds.records import LogRecord
from projections import versions
from projections.channels import ChannelsProjection
from projections.runner import ProjectionRunner
from tests.waiting import until


class IsolatedChannels(ChannelsProjection):
    """The real channel projection under a name of its own, so its checkpoint is private."""

    def __init__(self) -> None:
        self.name = f"channels_test_{uuid4().hex[:8]}"


@pytest.fixture
def projection() -> IsolatedChannels:
    return IsolatedChannels()


@pytest.fixture
def conn(stack: Settings, projection: IsolatedChannels) -> Iterator[psycopg.Connection]:
    """On copies of the read model's tables: these records are not in the channels log, so
    they must not land in the live read model (a replay would rightly find it different)."""
    with psycopg.connect(stack.postgres, autocommit=True) as connection:
        versions.create_replay(connection, projection)
        schema = versions.replay_schema(projection)
        connection.execute(f"SET search_path TO {schema}, public")
        try:
            yield connection
        finally:
            versions.drop_schema(connection, schema)


@pytest.fixture
def runner(stack: Settings, conn: psycopg.Connection,
           projection: IsolatedChannels) -> ProjectionRunner:
    codec = Codec.from_settings(stack)
    sink = KafkaDeadLetterSink(stack.kafka)
    return ProjectionRunner(projection, conn, codec.decode, sink)


def records(runner: ProjectionRunner, channel: str) -> list[LogRecord]:
    codec = Codec.from_settings(Settings())
    created = ChannelCreated(channel=channel, display_name=channel, title="a", category="c")
    updated = ChannelInfoUpdated(channel=channel, title="b")
    return [
        LogRecord("channels", 0, 10, channel.encode(), codec.encode(created)),
        LogRecord("channels", 0, 11, channel.encode(), codec.encode(updated)),
    ]


def test_redelivered_batch_changes_nothing(runner: ProjectionRunner,
                                           conn: psycopg.Connection) -> None:
    channel = f"run_{uuid4().hex[:12]}"
    batch = records(runner, channel)
    assert runner.apply_batch(batch) == 2
    assert runner.apply_batch(batch) == 0
    assert runner.apply_batch(batch[1:]) == 0
    row = conn.execute("SELECT title, version FROM channels WHERE channel = %s",
                       (channel,)).fetchone()
    assert row == ("b", 2)
    assert checkpoints.load(conn, runner.projection.name) == {("channels", 0): 11}


def test_an_event_twice_in_its_first_batch_is_counted_once(
    runner: ProjectionRunner, conn: psycopg.Connection
) -> None:
    channel = f"run_{uuid4().hex[:12]}"
    created, updated = records(runner, channel)
    again = LogRecord("channels", 0, 12, updated.key, updated.value)
    assert runner.apply_batch([created, updated, again]) == 3
    row = conn.execute("SELECT title, version FROM channels WHERE channel = %s",
                       (channel,)).fetchone()
    assert row == ("b", 2)


def test_creation_delivered_again_at_another_offset_keeps_the_channel(
    runner: ProjectionRunner, conn: psycopg.Connection
) -> None:
    """A creation and an update delivered again (by id) change nothing; the update after them
    in that batch applies."""
    channel = f"run_{uuid4().hex[:12]}"
    created, updated = records(runner, channel)
    codec = Codec.from_settings(Settings())
    later = codec.encode(ChannelInfoUpdated(channel=channel, title="c"))
    assert runner.apply_batch([created, updated]) == 2
    again = [LogRecord("channels", 0, 12, created.key, created.value),
             LogRecord("channels", 0, 13, updated.key, updated.value),
             LogRecord("channels", 0, 14, created.key, later)]
    assert runner.apply_batch(again) == 3
    row = conn.execute("SELECT title, display_name, version FROM channels WHERE channel = %s",
                       (channel,)).fetchone()
    assert row == ("c", channel, 3)


def test_undecodable_message_is_parked_with_its_reason(
    runner: ProjectionRunner, conn: psycopg.Connection, stack: Settings
) -> None:
    garbage = b"\x07not avro at all"
    marker = uuid4().hex.encode()
    assert runner.apply_batch([LogRecord("channels", 1, 5, marker, garbage)]) == 0
    parked = conn.execute(
        'SELECT reason FROM projection_dead_letters WHERE projection = %s AND "offset" = 5',
        (runner.projection.name,),
    ).fetchone()
    assert parked == ("bad_magic_byte",)
    assert checkpoints.load(conn, runner.projection.name) == {("channels", 1): 5}
    letter = find_dead_letter(stack, garbage)
    headers = dict(letter.headers() or [])
    assert headers["reason"] == b"bad_magic_byte"
    assert headers["topic"] == b"channels"
    assert headers["offset"] == b"5"


def find_dead_letter(stack: Settings, value: bytes) -> KafkaMessage:
    consumer = Consumer({"bootstrap.servers": stack.kafka, "group.id": f"dl-{uuid4()}",
                         "auto.offset.reset": "earliest"})
    metadata = consumer.list_topics(DEAD_LETTERS_TOPIC, timeout=10)
    consumer.assign([TopicPartition(DEAD_LETTERS_TOPIC, p, 0)
                     for p in metadata.topics[DEAD_LETTERS_TOPIC].partitions])
    found: list[KafkaMessage] = []

    def poll() -> list[KafkaMessage]:
        found.extend(m for m in consumer.consume(500, timeout=0.2)
                     if m.error() is None and m.value() == value)
        return found

    try:
        return until(poll, bool, 20, "the dead letter on its topic")[0]
    finally:
        consumer.close()
