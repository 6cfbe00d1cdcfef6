"""The analytics sink counts an event id once: the same events sent again at other offsets (a
decider that decided a command again after a crash, a producer that retried), in the same
batch, a later one, or after the sink restarted, leave the raw tables and every rollup as if
each had been sent once."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from clickhouse_driver import Client
from confluent_kafka import TopicPartition

from analytics import versions
from analytics.raw_tables import families_tables
from analytics.rollups import VIEWS
from analytics.sink import ClickHouseSink
from bench.topics import scratch_topic
from config.settings import Settings
from events.base import Event
from events.codec import Codec
from events.dead_letters import PARKED
from events.producer import make_producer
from events.views import ViewHeartbeat
from feeds.consumer import FeedConsumer
from feeds.parking import KafkaDeadLetterSink
from feeds.records import LogRecord
from tests.integration.analytics_sample import sample_events

PARTITIONS = 3


@contextmanager
def scratch_database(stack: Settings) -> Iterator[Client]:
    database = f"castline_repeats_test_{uuid4().hex[:8]}"
    client = versions.client_on(stack, database)
    try:
        yield client
    finally:
        client.execute(f"DROP DATABASE {database}")
        client.disconnect()


def produce(stack: Settings, codec: Codec, topic: str, events: Sequence[Event]) -> None:
    producer = make_producer(stack.kafka)
    for event in events:
        producer.produce(topic, key=event.key().encode(), value=codec.encode(event))
    assert producer.flush(30) == 0


def sink_reads_to_the_end(stack: Settings, codec: Codec, client: Client, topic: str) -> None:
    """A sink that starts afresh (as after a restart) and reads the topic to its end."""
    sink = ClickHouseSink(client, codec.decode, KafkaDeadLetterSink(stack.kafka),
                          "repeats")
    sink.topics = (topic,)
    feed = FeedConsumer(stack.kafka, sink, 100)
    try:
        targets = {(topic, p): feed.consumer.get_watermark_offsets(
            TopicPartition(topic, p), 10)[1] - 1 for p in range(PARTITIONS)}
        feed.catch_up(targets, lambda _: None, threading.Event())
    finally:
        feed.consumer.close()


def figures(client: Client) -> dict[str, Any]:
    """Every raw table's rows by event id, and every view over the rollups, in order."""
    found: dict[str, Any] = {}
    for table in families_tables().values():
        found[table.name] = client.execute(
            f"SELECT event_id, count() FROM {table.name} GROUP BY event_id ORDER BY event_id")
    for view in VIEWS:
        found[view] = sorted(client.execute(f"SELECT * FROM {view}"), key=repr)
    return found


def test_events_sent_again_are_counted_once_in_raw_tables_and_rollups(stack: Settings) -> None:
    codec = Codec.from_settings(stack)
    events = sample_events()
    with scratch_database(stack) as once, scratch_database(stack) as repeated:
        reference = ClickHouseSink(once, codec.decode, KafkaDeadLetterSink(stack.kafka),
                                   "once")
        reference.apply_batch([LogRecord("once", 0, n, None, codec.encode(e))
                               for n, e in enumerate(events)])
        reference.flush()
        with scratch_topic(stack.kafka, PARTITIONS) as topic:
            produce(stack, codec, topic, [*events, events[0], events[0]])
            sink_reads_to_the_end(stack, codec, repeated, topic)
            produce(stack, codec, topic, [*events[::-1], events[-1]])
            sink_reads_to_the_end(stack, codec, repeated, topic)
        expected, got = figures(once), figures(repeated)
    raw = [expected[table.name] for table in families_tables().values()]
    assert sum(len(rows) for rows in raw) == len(events)
    assert all(count == 1 for rows in raw for _, count in rows)
    for name, rows in expected.items():
        assert got[name] == rows, name


def test_a_catch_up_parks_a_record_clickhouse_refuses_at_its_very_end(stack: Settings) -> None:
    """The sink writes behind, so a record ClickHouse refuses in the last batch fails the final
    flush: it is found and parked like any other, and the catch-up finishes (a replay whose
    log ends in such a record used to fail)."""
    codec = Codec.from_settings(stack)
    good = [ViewHeartbeat(channel="tail", viewer_id=f"v{n}", player_session=f"s{n}")
            for n in range(3)]
    # ClickHouse's DateTime holds no time before 1970.
    ancient = ViewHeartbeat(channel="tail", viewer_id="ancient", player_session="s",
                            occurred_at=datetime(1960, 1, 1, tzinfo=UTC))
    with scratch_database(stack) as client, scratch_topic(stack.kafka, PARTITIONS) as topic:
        produce(stack, codec, topic, [*good, ancient])
        parked_before = PARKED.snapshot().get((topic, "unprocessable"), 0)
        sink_reads_to_the_end(stack, codec, client, topic)
        rows = client.execute("SELECT viewer_id FROM raw_view_heartbeat ORDER BY viewer_id")
    assert rows == [(beat.viewer_id,) for beat in good]
    assert PARKED.snapshot().get((topic, "unprocessable"), 0) == parked_before + 1
