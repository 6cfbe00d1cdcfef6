"""10,000 channel events, the worker SIGKILLed half-way and restarted: exact read model."""

from __future__ import annotations

import random
from uuid import uuid4

import psycopg
from confluent_kafka import Consumer, TopicPartition

from config.settings import Settings
from events.base import Event
from events.channels import CHANNELS_TOPIC, ChannelCreated, ChannelInfoUpdated
from events.codec import Codec
from events.producer import EventProducer
from tests.running import RunningPlatform
from tests.waiting import until

CHANNELS = 1_000
EVENTS = 10_000


def scripted_events(prefix: str) -> tuple[list[Event], dict[str, tuple[str, int]]]:
    """Creates, then updates in random order; returns the final (title, version) per channel."""
    rng = random.Random(7)
    names = [f"{prefix}{n:04d}" for n in range(CHANNELS)]
    events: list[Event] = [
        ChannelCreated(channel=n, display_name=n, title="t0", category="c") for n in names
    ]
    expected = {n: ("t0", 1) for n in names}
    for step in range(EVENTS - CHANNELS):
        name = rng.choice(names)
        title = f"t{step + 1}"
        events.append(ChannelInfoUpdated(channel=name, title=title))
        expected[name] = (title, expected[name][1] + 1)
    return events, expected


def end_offsets(settings: Settings) -> dict[int, int]:
    consumer = Consumer({"bootstrap.servers": settings.kafka, "group.id": f"probe-{uuid4()}"})
    try:
        partitions = consumer.list_topics(CHANNELS_TOPIC, timeout=10).topics[CHANNELS_TOPIC]
        return {
            p: consumer.get_watermark_offsets(TopicPartition(CHANNELS_TOPIC, p), timeout=10)[1]
            for p in partitions.partitions
        }
    finally:
        consumer.close()


def projected_count(conn: psycopg.Connection, prefix: str) -> int:
    row = conn.execute(
        "SELECT coalesce(sum(version), 0) FROM channels WHERE channel LIKE %s", (prefix + "%",)
    ).fetchone()
    assert row is not None
    return int(row[0])


def caught_up(conn: psycopg.Connection, ends: dict[int, int]) -> bool:
    rows = conn.execute(
        'SELECT partition, "offset" FROM projection_checkpoints '
        "WHERE projection = 'channels' AND topic = %s", (CHANNELS_TOPIC,)
    ).fetchall()
    reached: dict[int, int] = dict(rows)
    return all(reached.get(p, -1) >= end - 1 for p, end in ends.items() if end > 0)


def test_sigkill_half_way_loses_nothing_and_applies_nothing_twice(
    platform: RunningPlatform,
) -> None:
    settings = platform.settings
    prefix = f"crash_{uuid4().hex[:8]}_"
    events, expected = scripted_events(prefix)
    platform.stop_worker()
    EventProducer(settings.kafka, Codec.from_settings(settings).encode).send(events)
    ends = end_offsets(settings)
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        # Small batches make "half-way" a wide window to land the kill in.
        platform.start_worker(env={"CASTLINE_PROJECTION_BATCH_SIZE": "25"})
        applied = until(lambda: projected_count(conn, prefix), lambda n: n > 0, 60,
                        "the projector to start applying")
        platform.kill_worker()
        at_kill = projected_count(conn, prefix)
        assert applied <= at_kill < EVENTS, "the kill did not land half-way"
        platform.start_worker()
        until(lambda: caught_up(conn, ends), bool, 60, "the projector to reach the end offsets")
        platform.wait_serving()
        rows = conn.execute(
            "SELECT channel, title, version FROM channels WHERE channel LIKE %s",
            (prefix + "%",),
        ).fetchall()
    assert {name: (title, version) for name, title, version in rows} == expected
