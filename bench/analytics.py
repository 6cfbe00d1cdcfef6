"""`castline bench analytics`: the ClickHouse sink's rows/s, against raw clickhouse-driver
inserts of the same rows in the same run.

Both write into a scratch database of their own with the same tables. The sink reads a fresh
topic holding the events (heartbeats, chat messages, follows), decodes them, builds rows and
inserts them per table with its checkpoints, exactly as the worker does; the baseline inserts
the rows it would build, already in memory, in batches of the same size.

The two take turns for several rounds, each in fresh databases: ClickHouse's own speed drifts
(merges, a cold start) by several times between runs, so one pair of runs can decide the ratio
either way; the ratio reported is of the medians.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from clickhouse_driver import Client
from confluent_kafka import TopicPartition

from analytics.raw_tables import RawTable, families_tables
from analytics.sink import ClickHouseSink
from analytics.versions import client_on
from bench.pipeline import PARTITIONS, produce
from bench.topics import scratch_topic
from bench.verdicts import Verdicts
from config.settings import Settings
from events.base import Event
from events.chat import ChatMessagePosted
from events.codec import Codec
from events.social import ChannelFollowed
from events.views import ViewHeartbeat
from feeds.consumer import FeedConsumer
from feeds.parking import KafkaDeadLetterSink


def events(count: int) -> list[Event]:
    """Seven heartbeats, two chat messages and one follow in every ten events."""
    made: list[Event] = []
    for n in range(count):
        channel, user = channel_of(n), f"u{n % 5000}"
        if n % 10 < 7:
            made.append(ViewHeartbeat(channel=channel, viewer_id=user, player_session=f"p{n}",
                                      user_id=user, quality="720p"))
        elif n % 10 < 9:
            made.append(ChatMessagePosted(channel=channel, message_id=uuid4().hex, user_id=user,
                                          username=user, display_name=user, text=f"gg {n}"))
        else:
            made.append(ChannelFollowed(channel=channel, user_id=user, username=user))
    return made


def channel_of(n: int) -> str:
    return f"bench{n % 100}"


def raw_inserts(client: Client, made: list[Event], batch: int) -> float:
    tables = families_tables()
    started = time.perf_counter()
    for start in range(0, len(made), batch):
        rows: dict[RawTable, list[tuple[Any, ...]]] = defaultdict(list)
        for offset, event in enumerate(made[start:start + batch], start):
            table = tables[type(event)]
            rows[table].append(table.row(event, "bench", 0, offset))
        for table, values in rows.items():
            columns = ", ".join(name for name, _ in table.columns)
            client.execute(f"INSERT INTO {table.name} ({columns}) VALUES", values)
    return len(made) / (time.perf_counter() - started)


def sink_rows(settings: Settings, client: Client, topic: str, count: int) -> float:
    codec = Codec.from_settings(settings)
    sink = ClickHouseSink(client, codec.decode, KafkaDeadLetterSink(settings.kafka),
                          f"bench-{topic}")
    sink.topics = (topic,)
    feed = FeedConsumer(settings.kafka, sink, settings.projection_batch_size)
    try:
        targets = {(topic, p): feed.consumer.get_watermark_offsets(
            TopicPartition(topic, p), 10)[1] - 1 for p in range(PARTITIONS)}
        started = time.perf_counter()
        feed.catch_up(targets, lambda _: None, threading.Event())
        return count / (time.perf_counter() - started)
    finally:
        feed.consumer.close()


def stored_rows(client: Client) -> int:
    """Rows in the raw tables of the client's database."""
    names = {table.name for table in families_tables().values()}
    return sum(client.execute(f"SELECT count() FROM {name}")[0][0] for name in names)


def in_scratch_database(settings: Settings, kind: str, run: Callable[[Client], float]
                        ) -> tuple[float, int]:
    """Rows/s of `run` in a fresh database, and the rows it left in the raw tables."""
    database = f"bench_{kind}_{uuid4().hex[:8]}"
    client = client_on(settings, database)
    try:
        return run(client), stored_rows(client)
    finally:
        client.execute(f"DROP DATABASE {database}")
        client.disconnect()


def one_round(settings: Settings, made: list[Event], topic: str, number: int
              ) -> tuple[float, float, list[str]]:
    """Rows/s of raw inserts, then of the sink, and what either left out of its raw tables."""
    count, batch = len(made), settings.projection_batch_size
    raw, raw_stored = in_scratch_database(
        settings, "raw", lambda client: raw_inserts(client, made, batch))
    sink, sink_stored = in_scratch_database(
        settings, "sink", lambda client: sink_rows(settings, client, topic, count))
    print(f"  round {number}: raw {raw:>10,.0f} rows/s, sink {sink:>10,.0f} rows/s, ratio "
          f"{sink / raw:.2f}")
    return raw, sink, [f"round {number} {kind}: {stored:,} of {count:,} rows stored"
                       for kind, stored in (("raw", raw_stored), ("sink", sink_stored))
                       if stored != count]


def run_analytics_bench(settings: Settings, count: int, rounds: int) -> bool:
    codec = Codec.from_settings(settings)
    made = events(count)
    print(f"{count} events (7 heartbeats, 2 chat messages, 1 follow in 10), batches of "
          f"{settings.projection_batch_size}, {rounds} rounds")
    raws: list[float] = []
    sinks: list[float] = []
    missing: list[str] = []
    with scratch_topic(settings.kafka, PARTITIONS) as topic:
        produce(settings.kafka, topic,
                [(channel_of(n).encode(), codec.encode(e)) for n, e in enumerate(made)])
        for number in range(1, rounds + 1):
            raw, sink, left_out = one_round(settings, made, topic, number)
            raws.append(raw)
            sinks.append(sink)
            missing += left_out
    raw, sink = statistics.median(raws), statistics.median(sinks)
    print(f"  raw clickhouse-driver inserts (median): {raw:>10,.0f} rows/s")
    print(f"  sink (consume, decode, insert; median): {sink:>10,.0f} rows/s")
    verdicts = Verdicts()
    verdicts.figure("ratio sink/raw (medians)", sink / raw, 0.35, higher_is_better=True)
    verdicts.complete("the raw tables (every row counted, in every round)", missing)
    return verdicts.passed
