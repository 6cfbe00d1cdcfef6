"""`castline bench replay`: replay events/s into each store, against a raw consume of the same
topic in the same run.

Each store replays a fresh topic through the replay's own path (FeedConsumer.catch_up
feeding the store's runner: batched reads, rows and checkpoints per batch) into scratch tables
(PostgreSQL: copies of the live tables in a schema of their own; Cassandra: a keyspace of its
own; ClickHouse: a database of its own), exactly as `castline replay` builds a new version.
The baseline reads the same topic from the beginning with plain confluent-kafka batched
consume and does nothing with the events.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from uuid import uuid4

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from psycopg import sql

from analytics import versions as analytics_versions
from analytics.raw_tables import table_name
from analytics.sink import ClickHouseSink
from bench.pipeline import PARTITIONS, BenchProjection, payloads, produce
from bench.topics import scratch_topic
from bench.verdicts import Verdicts
from config.settings import Settings
from events.chat import ChatMessagePosted
from events.codec import Codec
from feeds.consumer import FeedConsumer
from feeds.failures import TRANSIENT
from feeds.feed import Feed
from feeds.parking import KafkaDeadLetterSink
from projections import versions
from projections.cassandra_schema import migrate_cassandra
from projections.chat_history import ChatHistory
from projections.runner import ProjectionRunner
from stores.cassandra import session as cassandra_session
from stores.postgres import connect

Messages = list[tuple[bytes, bytes]]


def chat_payloads(codec: Codec, count: int) -> Messages:
    channels = [f"bench{n}" for n in range(100)]
    return [(channel.encode(), codec.encode(ChatMessagePosted(
        channel=channel, message_id=uuid4().hex, user_id=f"u{n % 500}", username=f"user{n % 500}",
        display_name=f"User{n % 500}", text=f"message number {n} Kappa", badges=["subscriber"],
        emotes=["Kappa:18-22"])))
        for n, channel in ((n, channels[n % len(channels)]) for n in range(count))]


def raw_consume(settings: Settings, topic: str, count: int) -> float:
    consumer = Consumer({"bootstrap.servers": settings.kafka, "group.id": f"bench-{uuid4()}"})
    try:
        started = time.perf_counter()
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(PARTITIONS)])
        seen = 0
        while seen < count:
            seen += sum(1 for m in consumer.consume(10000, timeout=0.1) if m.error() is None)
        return count / (time.perf_counter() - started)
    finally:
        consumer.close()


def replayed(feed: FeedConsumer, topic: str, count: int) -> float:
    """Events/s for catching a fresh version up with the whole topic."""
    targets = {}
    for partition in range(PARTITIONS):
        _, end = feed.consumer.get_watermark_offsets(TopicPartition(topic, partition), 10)
        targets[(topic, partition)] = end - 1
    started = time.perf_counter()
    feed.catch_up(targets, lambda _: None, threading.Event())
    # Whether all of them arrived is what the store holds afterwards, counted apart.
    return count / (time.perf_counter() - started)


def postgres_replay(settings: Settings, topic: str, count: int, codec: Codec) -> Replayed:
    projection = BenchProjection(topic)
    with connect(settings.postgres) as conn:
        versions.create_replay(conn, projection)
        schema = versions.replay_schema(projection)
        conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(schema)))
        runner = ProjectionRunner(projection, conn, codec.decode,
                                  KafkaDeadLetterSink(settings.kafka))
        try:
            rate = _timed(settings, runner, topic, count)
            # Each channel's version counts the events applied to it.
            row = conn.execute("SELECT coalesce(sum(version), 0) FROM channels").fetchone()
            return rate, int(row[0]) if row else 0
        finally:
            versions.drop_schema(conn, schema)
            conn.execute("DELETE FROM projection_checkpoints WHERE projection = %s",
                         (projection.name,))


def cassandra_replay(settings: Settings, topic: str, count: int, codec: Codec) -> Replayed:
    keyspace = f"bench_{uuid4().hex[:12]}"
    session = cassandra_session(settings)
    try:
        migrate_cassandra(settings, session, keyspace)
        history = ChatHistory(session, codec.decode,
                              KafkaDeadLetterSink(settings.kafka), f"bench_{topic}")
        history.topics = (topic,)
        rate = _timed(settings, history, topic, count)
        stored = session.execute(  # Cassandra counts up to LIMIT (10,000 by default)
            f"SELECT COUNT(*) FROM {keyspace}.chat_messages LIMIT {count + 1}").one()[0]
        return rate, int(stored)
    finally:
        session.execute(f"DROP KEYSPACE {keyspace}")
        session.cluster.shutdown()


def clickhouse_replay(settings: Settings, topic: str, count: int, codec: Codec) -> Replayed:
    database = f"bench_replay_{uuid4().hex[:12]}"
    client = analytics_versions.client_on(settings, database)
    try:
        sink = ClickHouseSink(client, codec.decode, KafkaDeadLetterSink(settings.kafka),
                              f"bench_{topic}")
        sink.topics = (topic,)
        rate = _timed(settings, sink, topic, count)
        table = table_name(ChatMessagePosted)
        return rate, int(client.execute(f"SELECT count() FROM {table}")[0][0])
    finally:
        client.execute(f"DROP DATABASE {database}")
        client.disconnect()


def _timed(settings: Settings, runner: Feed, topic: str, count: int) -> float:
    feed = FeedConsumer(settings.kafka, runner, settings.projection_batch_size)
    try:
        return replayed(feed, topic, count)
    finally:
        feed.consumer.close()


Replayed = tuple[float, int]  # events/s, and the events the store holds afterwards
Store = Callable[[Settings, str, int, Codec], Replayed]
STORES: tuple[tuple[str, str, Store], ...] = (
    ("PostgreSQL (channels read model)", "channel events", postgres_replay),
    ("Cassandra (chat history)", "chat messages", cassandra_replay),
    ("ClickHouse (analytics raw tables)", "chat messages", clickhouse_replay),
)


RATIO_TARGET = 0.35  # the analytics sink's target against its raw baseline; none stated here


def run_replay_bench(settings: Settings, count: int) -> bool:
    codec = Codec.from_settings(settings)
    print(f"{count} events per store, {PARTITIONS} partitions, batches of "
          f"{settings.projection_batch_size}; target replay/raw >= {RATIO_TARGET} (chosen: the "
          "analytics sink's target against the same kind of baseline)")
    verdicts = Verdicts()
    for label, kind, store in STORES:
        messages = (payloads(codec, count, f"bench_{uuid4().hex[:8]}_", 0.1)
                    if store is postgres_replay else chat_payloads(codec, count))
        print(f"{label}, {kind}:")
        with scratch_topic(settings.kafka, PARTITIONS) as topic:
            produce(settings.kafka, topic, messages)
            raw = raw_consume(settings, topic, count)
            print(f"  raw confluent-kafka consume:  {raw:>10,.0f} events/s")
            try:
                replay, stored = store(settings, topic, count, codec)
            except TRANSIENT as error:
                verdicts.fail(f"{label}: replay into the store", repr(error))
                continue
        print(f"  replay into the store:        {replay:>10,.0f} events/s")
        verdicts.figure(f"{label}: ratio replay/raw", replay / raw, RATIO_TARGET,
                        higher_is_better=True)
        verdicts.complete(f"{label}", [] if stored == count else
                          [f"{stored:,} of {count:,} events in the store"])
    return verdicts.passed
