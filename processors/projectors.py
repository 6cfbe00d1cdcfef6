"""Projectors hosted by the Faust worker.

A Faust stream tops out near 11k events/s here even with take_events(); a projection keeps its
own offsets in PostgreSQL, so it reads with confluent-kafka's batched consume instead, in a
thread whose lifetime the worker owns.
"""

from __future__ import annotations

import asyncio
import threading

from mode import Service

from castline.settings import Settings
from events.codec import Codec
from projections.consumer import KafkaDeadLetterSink, ProjectionConsumer, connect
from projections.runner import Projection, ProjectionRunner


class ProjectorService(Service):
    def __init__(self, settings: Settings, codec: Codec, projection: Projection) -> None:
        super().__init__()
        self.settings = settings
        self.codec = codec
        self.projection = projection
        self.stopping = threading.Event()
        self.done = asyncio.Event()

    def _run(self) -> None:
        with connect(self.settings.postgres) as conn:
            runner = ProjectionRunner(
                self.projection, conn, self.codec.decode, KafkaDeadLetterSink(self.settings.kafka)
            )
            consumer = ProjectionConsumer(
                self.settings.kafka, runner, self.settings.projection_batch_size
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
