"""Feeds hosted by the worker: each a service that runs one feed (a projection, the analytics
sink, chat history, a decider) in a thread whose lifetime the worker owns, over this worker's
share of the feed's partitions, resuming from its checkpoints after a transient failure.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import psycopg
import tenacity
from clickhouse_driver import Client
from mode import Service

from analytics import versions as analytics_versions
from analytics.sink import ClickHouseSink
from config.settings import Settings
from events.codec import Codec
from feeds import locations
from feeds.consumer import FeedConsumer
from feeds.failures import is_transient
from feeds.feed import Feed
from feeds.leases import PartitionLeases
from feeds.parking import KafkaDeadLetterSink
from projections.chat_history import NAME, ChatHistory
from projections.runner import Projection, ProjectionRunner
from projections.viewers import ViewerCounter
from stores.cassandra import session as cassandra_session
from stores.postgres import connect
from stores.redis import client as redis_client

log = logging.getLogger(__name__)
FeedFactory = Callable[[psycopg.Connection], Feed]


class FeedService(Service):
    def __init__(self, settings: Settings, make_feed: FeedFactory, pace_ms: int,
                 batch_size: int | None = None, name: str | None = None,
                 on_finish: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.make_feed = make_feed
        self.pace_s = pace_ms / 1000
        self.batch_size = batch_size or settings.projection_batch_size
        self.feed_name = name or str(getattr(make_feed, "__qualname__", "feed"))
        self.on_finish = on_finish  # in the feed's thread, once it has stopped reading
        self.stopping = threading.Event()
        self.done = asyncio.Event()

    def _run(self) -> None:
        """Until stopped; a store or broker that fails for a while is waited out (the feed
        resumes from its checkpoints). A record that cannot be applied is parked by the
        consumer; anything else still failing crashes the worker."""
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(is_transient),
            wait=tenacity.wait_exponential(multiplier=0.5, max=10), sleep=self._pause,
            stop=tenacity.stop_when_event_set(self.stopping),
            before_sleep=lambda state: log.error(
                "feed %s: %r; resuming from its checkpoints", self.feed_name,
                state.outcome.exception() if state.outcome else None),
        )
        try:
            for attempt in retrying:
                with attempt:
                    self._run_once()
        except tenacity.RetryError as stopped:
            log.warning("feed %s stopped while failing: %r", self.feed_name,
                        stopped.last_attempt.exception())
        finally:
            if self.on_finish is not None:
                self.on_finish()

    def _pause(self, seconds: float) -> None:
        self.stopping.wait(seconds)

    def _run_once(self) -> None:
        with connect(self.settings.postgres) as conn:
            feed = self.make_feed(conn)
            conn.execute("SELECT set_config('application_name', %s, false)",
                         (f"castline:{feed.name}",))
            consumer = FeedConsumer(self.settings.kafka, feed, self.batch_size, self.pace_s)
            consumer.run(self.stopping, PartitionLeases(conn, feed.name, feed.topics))

    @Service.task
    async def _project(self) -> None:
        # An exception here crashes the worker: a projector that cannot apply must stop loudly.
        # Its own thread, not the loop's default executor: a projector holds its thread for
        # good, and enough of them would leave none for the agents' and timers' short jobs.
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.feed_name)
        try:
            await asyncio.get_running_loop().run_in_executor(executor, self._run)
        finally:
            executor.shutdown(wait=False)
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
        client = redis_client(settings.redis)
        return ViewerCounter(conn, client, codec.decode, KafkaDeadLetterSink(settings.kafka),
                             settings.viewer_window_s, settings.viewer_sweep_s)

    return make


def analytics_sink(settings: Settings, codec: Codec) -> FeedFactory:
    def make(conn: psycopg.Connection) -> Feed:
        def database() -> str:
            return analytics_versions.live_location(conn, settings).live

        def client_on(name: str) -> Client:
            return analytics_versions.client_on(settings, name)

        live = database()
        return ClickHouseSink(client_on(live), codec.decode,
                              KafkaDeadLetterSink(settings.kafka),
                              follower=locations.Follower(database, live), relocate=client_on)

    return make


def chat_history(settings: Settings, codec: Codec) -> FeedFactory:
    def make(conn: psycopg.Connection) -> Feed:
        def keyspace() -> str:
            return locations.location(conn, NAME, settings.cassandra_keyspace).live

        store = cassandra_session(settings, keyspace())
        return ChatHistory(store, codec.decode, KafkaDeadLetterSink(settings.kafka),
                           follower=locations.Follower(keyspace, store.keyspace))

    return make
