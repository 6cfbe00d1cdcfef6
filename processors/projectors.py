"""Projectors hosted by the Faust worker.

A Faust stream tops out near 11k events/s here even with take_events(); a projection keeps its
own offsets beside its rows, so it reads with confluent-kafka's batched consume instead, in a
thread whose lifetime the worker owns.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import psycopg
import redis
from mode import Service

from castline.settings import Settings
from events.codec import Codec
from infra.servers.cassandra import session as cassandra_session
from projections.chat_history import ChatHistory
from projections.consumer import KafkaDeadLetterSink, ProjectionConsumer, connect
from projections.runner import Feed, Projection, ProjectionRunner
from projections.viewers import ViewerCounter

FeedFactory = Callable[[psycopg.Connection], Feed]


class ProjectorService(Service):
    def __init__(self, settings: Settings, make_feed: FeedFactory) -> None:
        super().__init__()
        self.settings = settings
        self.make_feed = make_feed
        self.stopping = threading.Event()
        self.done = asyncio.Event()

    def _run(self) -> None:
        with connect(self.settings.postgres) as conn:
            feed = self.make_feed(conn)
            consumer = ProjectionConsumer(
                self.settings.kafka, feed, self.settings.projection_batch_size
            )
            consumer.run(self.stopping)

    @Service.task
    async def _project(self) -> None:
        # An exception here crashes the worker: a projector that cannot apply must stop loudly.
        try:
            await asyncio.to_thread(self._run)
        finally:
            self.done.set()

    async def on_stop(self) -> None:
        self.stopping.set()
        await self.done.wait()


def postgres_projector(settings: Settings, codec: Codec, projection: Projection) -> FeedFactory:
    def make(conn: psycopg.Connection) -> Feed:
        sink = KafkaDeadLetterSink(settings.kafka)
        return ProjectionRunner(projection, conn, codec.decode, sink)

    return make


def viewer_counter(settings: Settings, codec: Codec) -> FeedFactory:
    def make(conn: psycopg.Connection) -> Feed:
        client = redis.Redis.from_url(settings.redis)
        return ViewerCounter(conn, client, codec.decode, KafkaDeadLetterSink(settings.kafka),
                             settings.viewer_window_s, settings.viewer_sweep_s)

    return make


def chat_history(settings: Settings, codec: Codec) -> FeedFactory:
    def make(conn: psycopg.Connection) -> Feed:
        store = cassandra_session(settings, settings.cassandra_keyspace)
        return ChatHistory(conn, store, codec.decode, KafkaDeadLetterSink(settings.kafka))

    return make
