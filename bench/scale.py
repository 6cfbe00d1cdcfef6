"""`castline bench scale`: one projection over a partitioned load, applied by one worker
process and then by two sharing its partitions (feeds.leases); and how long the survivor takes
to hold every partition once the other is SIGKILLed.

Each run reads a fresh topic of its own while a producer in another process writes it, as in
`castline bench pipeline`; the workers have taken their shares before the first record is
produced, so their start is not counted.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.process import BaseProcess
from typing import Any
from uuid import uuid4

import psycopg

from bench.pipeline import (
    PARTITIONS,
    BenchProjection,
    cleanup,
    expected_channels,
    payloads,
    producer_process,
    projected_rows,
    rows_verdict,
    wait_checkpointed,
)
from bench.topics import scratch_topic
from bench.verdicts import Verdicts
from config.settings import Settings
from events.codec import Codec
from feeds.consumer import FeedConsumer
from feeds.leases import MEMBER, PartitionLeases, feed_key
from feeds.parking import KafkaDeadLetterSink
from projections.runner import ProjectionRunner

CREATES = 0.1  # 1 new channel per 10 events, then title updates
TAKEOVER_TARGET_S = 10.0
HELD = ("SELECT count(*), count(DISTINCT pid) FROM pg_locks WHERE locktype = 'advisory' "
        "AND granted AND classid = %s::int4::oid AND objsubid = 2 AND objid <> %s::int4::oid")


def _project(settings: Settings, topic: str) -> None:
    """A worker process's feed of the bench projection, until SIGTERM."""
    codec = Codec.from_settings(settings)
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        projection = BenchProjection(topic)
        runner = ProjectionRunner(projection, conn, codec.decode,
                                  KafkaDeadLetterSink(settings.kafka))
        consumer = FeedConsumer(settings.kafka, runner, settings.projection_batch_size,
                                settings.projection_pace_ms / 1000)
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        consumer.run(stopping, PartitionLeases(conn, projection.name, projection.topics))


@contextmanager
def workers(settings: Settings, topic: str, count: int) -> Iterator[Sequence[BaseProcess]]:
    """`count` worker processes on the topic, each holding its share when this yields."""
    # Stopped by SIGTERM, not a shared Event: setting one that a SIGKILLed process was
    # waiting on blocks for ever.
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_project, args=(settings, topic))
                 for _ in range(count)]
    for process in processes:
        process.start()
    try:
        _wait_held(settings, topic, count, 120)
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.kill()
                process.join()


def _wait_held(settings: Settings, topic: str, holders: int, timeout_s: float) -> float:
    """Seconds until every partition is held, by exactly `holders` sessions."""
    key = feed_key(BenchProjection(topic).name)
    started = time.monotonic()
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        while time.monotonic() - started < timeout_s:
            row = conn.execute(HELD, (key, MEMBER)).fetchone()
            if row is not None and tuple(row) == (PARTITIONS, holders):
                return time.monotonic() - started
            time.sleep(0.05)
    raise TimeoutError(f"the partitions were not held by {holders} workers in {timeout_s} s")


def projected(settings: Settings, messages: list[tuple[bytes, bytes]], count: int,
              takeover: list[float]) -> float:
    """Events/s from the first produce until the checkpoints cover every message, with
    `count` workers; with two, the survivor's takeover time is added to `takeover`."""
    with scratch_topic(settings.kafka, PARTITIONS) as topic, \
            workers(settings, topic, count) as processes:
        with producer_process(settings.kafka, topic, messages) as start_producing:
            started = time.perf_counter()
            start_producing()
            wait_checkpointed(settings, BenchProjection(topic).name, len(messages))
            elapsed = time.perf_counter() - started
        if count > 1:
            processes[-1].kill()
            takeover.append(_wait_held(settings, topic, count - 1, 60))
    return len(messages) / elapsed


def run_scale_bench(settings: Settings, count: int) -> bool:
    codec = Codec.from_settings(settings)
    print(f"{count} events per run ({CREATES:.0%} creates, then title updates), "
          f"{PARTITIONS} partitions, one projection; one worker process, then two")
    verdicts, rates, takeover = Verdicts(), dict[int, float](), list[float]()
    for workers_count in (1, 2):
        prefix = f"bench_{uuid4().hex[:8]}_"
        messages = payloads(codec, count, prefix, CREATES)
        events: list[Any] = [codec.decode(value) for _, value in messages]
        try:
            rates[workers_count] = projected(settings, messages, workers_count, takeover)
            wrong = rows_verdict(expected_channels(events), projected_rows(settings, prefix))
        finally:
            cleanup(settings, prefix, events)
        print(f"  {workers_count} worker(s): {rates[workers_count]:>10,.0f} events/s")
        verdicts.complete(f"rows with {workers_count} worker(s)", [wrong] if wrong else [])
    print(f"  two workers / one: {rates[2] / rates[1]:.2f} (2 cores: the producer, broker "
          "and PostgreSQL share them with the workers)")
    verdicts.figure("takeover after a SIGKILLed worker", takeover[0], TAKEOVER_TARGET_S,
                    higher_is_better=False, unit=" s")
    return verdicts.passed
