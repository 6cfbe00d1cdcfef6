"""`castline bench pipeline`: produce -> projected and checkpointed in PostgreSQL.

Baseline, same broker, same run, same payloads: a raw confluent-kafka produce + batched consume.
Both run on a fresh topic each, so neither reads the other's data, and both read while a
producer in another process writes, as the platform's feeds do.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol
from uuid import uuid4

import psycopg
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from bench.harness import CpuMeter, stack_pids
from bench.topics import scratch_topic
from config.settings import Settings
from events.base import Event, Message
from events.channels import ChannelCreated, ChannelInfoUpdated
from events.codec import Codec
from events.producer import make_producer
from feeds.consumer import FeedConsumer, consumer_config
from feeds.leases import PartitionLeases
from feeds.parking import KafkaDeadLetterSink
from projections.channels import ChannelsProjection
from projections.runner import ProjectionRunner

PARTITIONS = 12


class EventLike(Protocol):
    def set(self) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...


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


def _produce_when_told(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]],
                       ready: EventLike, go: EventLike) -> None:
    ready.set()
    go.wait()
    produce(bootstrap, topic, messages)


@contextmanager
def producer_process(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]
                     ) -> Iterator[Callable[[], None]]:
    """A producer in a process of its own, as the platform's events come from other processes
    (one in this process would take the GIL from the consumer it is measured against). It holds
    the messages when this yields; calling what it yields starts the producing."""
    context = multiprocessing.get_context("spawn")
    ready, go = context.Event(), context.Event()
    process = context.Process(target=_produce_when_told,
                              args=(bootstrap, topic, messages, ready, go))
    process.start()
    try:
        if not ready.wait(120):
            raise TimeoutError("the producer process did not start in 120 s")
        yield go.set
        process.join(600)
        if process.exitcode != 0:
            raise RuntimeError(f"the producer process ended with {process.exitcode}")
    finally:
        if process.is_alive():
            process.kill()
            process.join()


def raw_baseline(settings: Settings, messages: list[tuple[bytes, bytes]]) -> float:
    """Events/s with plain confluent-kafka, read as they are produced (as the pipeline does):
    from the first produce until a batched consumer, started first, has read them all."""
    with scratch_topic(settings.kafka, PARTITIONS) as topic:
        consumer = Consumer(consumer_config(settings.kafka, f"bench-{uuid4()}"))
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(PARTITIONS)])
        read = threading.Thread(target=_read_all, args=(consumer, len(messages)))
        try:
            with producer_process(settings.kafka, topic, messages) as start_producing:
                started = time.perf_counter()
                read.start()
                start_producing()
                read.join()
                elapsed = time.perf_counter() - started
        finally:
            consumer.close()
    return len(messages) / elapsed


def _read_all(consumer: Consumer, count: int) -> None:
    seen, deadline = 0, time.monotonic() + 600
    while seen < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"read {seen} of {count} events in 600 s")
        seen += sum(1 for m in consumer.consume(10000, timeout=1) if m.error() is None)


class BenchProjection(ChannelsProjection):
    def __init__(self, topic: str) -> None:
        self.name = f"bench_{topic}"
        self.topics = (topic,)


def projected_pipeline(settings: Settings, messages: list[tuple[bytes, bytes]]
                       ) -> tuple[float, dict[str, float]]:
    """Events/s from the first produce until the checkpoint covers every message, and the CPU
    seconds each process spent meanwhile (the producer's process apart)."""
    codec = Codec.from_settings(settings)
    meter = CpuMeter({PROJECTOR: os.getpid(), **stack_pids(settings, ("kafka", "postgres"))},
                     alone=frozenset({PROJECTOR}))
    with scratch_topic(settings.kafka, PARTITIONS) as topic, psycopg.connect(
        settings.postgres, autocommit=True
    ) as conn:
        projection = BenchProjection(topic)
        sink = KafkaDeadLetterSink(settings.kafka)
        runner = ProjectionRunner(projection, conn, codec.decode, sink)
        consumer = FeedConsumer(settings.kafka, runner, settings.projection_batch_size,
                                settings.projection_pace_ms / 1000)
        stop = threading.Event()
        leases = PartitionLeases(conn, projection.name, projection.topics)
        thread = threading.Thread(target=consumer.run, args=(stop, leases))
        with producer_process(settings.kafka, topic, messages) as start_producing:
            thread.start()
            meter.start()
            started = time.perf_counter()
            start_producing()
            wait_checkpointed(settings, projection.name, len(messages))
            elapsed = time.perf_counter() - started
            meter.stop()
        stop.set()
        thread.join()
    return len(messages) / elapsed, meter.spent


def wait_checkpointed(settings: Settings, projection: str, count: int) -> None:
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


def expected_channels(events: list[Message]) -> dict[str, tuple[str, int]]:
    """channel -> (title, version) after the events, folded one by one."""
    channels: dict[str, tuple[str, int]] = {}
    for event in events:
        if isinstance(event, ChannelCreated):
            channels[event.channel] = (event.title, 1)
        elif isinstance(event, ChannelInfoUpdated):
            title, version = channels[event.channel]
            new_title = title if event.title is None else event.title
            channels[event.channel] = (new_title, version + 1)
    return channels


def projected_rows(settings: Settings, prefix: str) -> dict[str, tuple[str, int]]:
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        rows = conn.execute("SELECT channel, title, version FROM channels WHERE channel LIKE %s",
                            (prefix + "%",)).fetchall()
    return {channel: (title, version) for channel, title, version in rows}


def rows_verdict(expected: dict[str, tuple[str, int]], found: dict[str, tuple[str, int]]) -> str:
    """'' when the projected rows are exactly the expected ones, else what differs."""
    missing = expected.keys() - found.keys()
    extra = found.keys() - expected.keys()
    wrong = [c for c in expected.keys() & found.keys() if expected[c] != found[c]]
    if not (missing or extra or wrong):
        return ""
    return (f"{len(missing)} channels missing, {len(extra)} unexpected, "
            f"{len(wrong)} with another title or version (e.g. {sorted(wrong)[:3]})")


def cleanup(settings: Settings, prefix: str, events: list[Message]) -> None:
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        conn.execute("DELETE FROM channels WHERE channel LIKE %s", (prefix + "%",))
        conn.execute("DELETE FROM channel_events_applied WHERE event_id = ANY(%s)",
                     ([e.event_id for e in events if isinstance(e, Event)],))
        conn.execute("DELETE FROM projection_checkpoints WHERE projection LIKE 'bench_%'")
        conn.execute("DELETE FROM feeds WHERE name LIKE 'bench_%'")


MIXES = (("1 create per 10 events, then title updates", 0.1), ("every event a new channel", 1.0))
TARGET = 20_000  # events/s per worker, in every mix
PROJECTOR = "projector (this process)"


def cpu_lines(spent: dict[str, float], count: int) -> list[str]:
    """CPU per 1,000 events by process, and the rate that CPU allows on this machine's cores
    if every process could run beside the others all the time."""
    def per_thousand_ms(seconds: float) -> str:
        return f"{seconds / count * 1e6:.0f} ms"

    total = sum(spent.values())
    cores = os.cpu_count() or 1
    lines = [f"  CPU per 1,000 events: {name} {per_thousand_ms(seconds)}"
             for name, seconds in spent.items()]
    if total > 0:
        lines.append(f"  CPU per 1,000 events, all of them: {per_thousand_ms(total)}; "
                     f"on {cores} cores at most {cores * count / total:,.0f} events/s")
    return lines


def run_pipeline_bench(settings: Settings, count: int) -> bool:
    """Each mix's figures and verdict; whether every mix passed."""
    codec = Codec.from_settings(settings)
    print(f"{count} events per run, {PARTITIONS} partitions, one projector (one worker), "
          f"batches of up to {settings.projection_batch_size}; target {TARGET:,} events/s")
    passed_all = True
    for label, creates in MIXES:
        prefix = f"bench_{uuid4().hex[:8]}_"
        messages = payloads(codec, count, prefix, creates)
        events = [codec.decode(value) for _, value in messages]
        # The bench's own copy of the log, which no worker holds, is left out of every garbage
        # collection the projector's thread would otherwise pay for (with all else alive now).
        gc.freeze()
        try:
            baseline = raw_baseline(settings, messages)
            pipeline, spent = projected_pipeline(settings, messages)
            wrong = rows_verdict(expected_channels(events), projected_rows(settings, prefix))
        finally:
            gc.unfreeze()
            cleanup(settings, prefix, events)
        print(f"{label}:")
        print(f"  raw confluent-kafka produce+consume:   {baseline:>10,.0f} events/s")
        print(f"  produce -> projected+checkpointed:     {pipeline:>10,.0f} events/s")
        print(f"  ratio pipeline/raw: {pipeline / baseline:.2f}")
        print("\n".join(cpu_lines(spent, count)))
        print(f"  rows: {wrong or 'every channel projected with the title and version of the log'}")
        passed = pipeline >= TARGET and not wrong
        print(f"  {'PASS' if passed else 'FAIL'}: {label}: {pipeline:,.0f} events/s against "
              f"{TARGET:,}{', wrong rows' if wrong else ''}")
        passed_all = passed_all and passed
    return passed_all
