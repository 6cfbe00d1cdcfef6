"""`castline bench pipeline`: produce -> projected and checkpointed in PostgreSQL.

Baseline, same broker, same run, same payloads: a raw confluent-kafka produce + batched consume.
Both run on a fresh topic each, so neither reads the other's data.
"""

from __future__ import annotations

import random
import threading
import time
from uuid import uuid4

import psycopg
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from bench.topics import scratch_topic
from config.settings import Settings
from events.channels import ChannelCreated, ChannelInfoUpdated
from events.codec import Codec
from events.producer import make_producer
from feeds.consumer import FeedConsumer
from feeds.leadership import Leadership
from feeds.parking import KafkaDeadLetterSink
from projections.channels import ChannelsProjection
from projections.runner import ProjectionRunner

PARTITIONS = 12


def payloads(
    codec: Codec, count: int, prefix: str, creates_per_event: float
) -> list[tuple[bytes, bytes]]:
    """Creates first, then info updates on random channels: (key, value) pairs."""
    rng = random.Random(1)
    names = [f"{prefix}{n}" for n in range(max(1, int(count * creates_per_event)))]
    out = [(n.encode(), codec.encode(ChannelCreated(channel=n, display_name=n, title="t",
                                                    category="c"))) for n in names]
    while len(out) < count:
        name = rng.choice(names)
        event = ChannelInfoUpdated(channel=name, title=f"t{len(out)}")
        out.append((name.encode(), codec.encode(event)))
    return out


def produce(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> None:
    producer = make_producer(bootstrap, **{"linger.ms": 5, "batch.num.messages": 10000})
    for key, value in messages:
        while True:
            try:
                producer.produce(topic, key=key, value=value)
                break
            except BufferError:
                producer.poll(0.01)
    producer.flush(60)


def raw_baseline(settings: Settings, messages: list[tuple[bytes, bytes]]) -> float:
    """Events/s for produce-then-consume-all with plain confluent-kafka."""
    with scratch_topic(settings.kafka, PARTITIONS) as topic:
        started = time.perf_counter()
        produce(settings.kafka, topic, messages)
        consumer = Consumer({"bootstrap.servers": settings.kafka, "group.id": f"bench-{uuid4()}"})
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(PARTITIONS)])
        seen = 0
        while seen < len(messages):
            seen += sum(1 for m in consumer.consume(10000, timeout=1) if m.error() is None)
        elapsed = time.perf_counter() - started
        consumer.close()
    return len(messages) / elapsed


class BenchProjection(ChannelsProjection):
    def __init__(self, topic: str) -> None:
        self.name = f"bench_{topic}"
        self.topics = (topic,)


def projected_pipeline(settings: Settings, messages: list[tuple[bytes, bytes]]) -> float:
    """Events/s from the first produce until the checkpoint covers every message."""
    codec = Codec.from_settings(settings)
    with scratch_topic(settings.kafka, PARTITIONS) as topic, psycopg.connect(
        settings.postgres, autocommit=True
    ) as conn:
        projection = BenchProjection(topic)
        sink = KafkaDeadLetterSink(settings.kafka)
        runner = ProjectionRunner(projection, conn, codec.decode, sink)
        consumer = FeedConsumer(settings.kafka, runner, settings.projection_batch_size,
                                settings.projection_pace_ms / 1000)
        stop = threading.Event()
        thread = threading.Thread(target=consumer.run,
                                  args=(stop, Leadership(conn, projection.name)))
        thread.start()
        started = time.perf_counter()
        produce(settings.kafka, topic, messages)
        _wait_checkpointed(settings, projection.name, len(messages))
        elapsed = time.perf_counter() - started
        stop.set()
        thread.join()
    return len(messages) / elapsed


def _wait_checkpointed(settings: Settings, projection: str, count: int) -> None:
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            row = conn.execute(
                'SELECT coalesce(sum("offset" + 1), 0) FROM projection_checkpoints '
                "WHERE projection = %s", (projection,),
            ).fetchone()
            if row is not None and row[0] >= count:
                return
            time.sleep(0.01)
    raise TimeoutError(f"{projection} did not checkpoint {count} events in 600 s")


def cleanup(settings: Settings, prefix: str) -> None:
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        conn.execute("DELETE FROM channels WHERE channel LIKE %s", (prefix + "%",))
        conn.execute("DELETE FROM projection_checkpoints WHERE projection LIKE 'bench_%'")


MIXES = (("1 create per 10 events, then title updates", 0.1), ("every event a new channel", 1.0))


def run_pipeline_bench(settings: Settings, count: int) -> None:
    codec = Codec.from_settings(settings)
    print(f"{count} events per run, {PARTITIONS} partitions, one projector (one worker)")
    for label, creates in MIXES:
        prefix = f"bench_{uuid4().hex[:8]}_"
        messages = payloads(codec, count, prefix, creates)
        try:
            baseline = raw_baseline(settings, messages)
            pipeline = projected_pipeline(settings, messages)
        finally:
            cleanup(settings, prefix)
        print(f"{label}:")
        print(f"  raw confluent-kafka produce+consume:   {baseline:>10,.0f} events/s")
        print(f"  produce -> projected+checkpointed:     {pipeline:>10,.0f} events/s")
        print(f"  ratio pipeline/raw: {pipeline / baseline:.2f}")
