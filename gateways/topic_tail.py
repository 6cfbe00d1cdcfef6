"""A gateway's private reader of a topic from its end: a thread decodes each new message and
hands it to the event loop. No group membership; every gateway reads every partition."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from uuid import uuid4

from confluent_kafka import Consumer

from events.base import Message
from events.consuming import RestingReader, end_offsets
from events.errors import UndecodableMessage

log = logging.getLogger(__name__)
BATCH = 1000


class TopicTail:
    def __init__(self, bootstrap: str, topic: str, decode: Callable[[bytes], Message],
                 on_message: Callable[[Message], None]) -> None:
        """`on_message` runs on the event loop, in the topic's order per partition."""
        self.topic = topic
        self.decode = decode
        self.on_message = on_message
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap, "group.id": f"castline-tail-{topic}-{uuid4()}",
            "enable.auto.commit": False, "fetch.wait.max.ms": 10,
        })
        self.reader = RestingReader(self.consumer)
        self.loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"tail-{topic}", daemon=True)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Assign every partition at its current end, then read: what follows is seen."""
        self.loop = loop
        metadata = self.consumer.list_topics(self.topic, timeout=10).topics[self.topic]
        ends = end_offsets(self.consumer, self.topic, list(metadata.partitions))
        self.reader.assign(ends)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for message in self.reader.available(BATCH, timeout_s=0.1):
                value = message.value()
                if message.error() is None and value is not None:
                    self._deliver(value)

    def _deliver(self, value: bytes) -> None:
        try:
            decoded = self.decode(value)
        except UndecodableMessage as error:
            log.error("undecodable message on %s: %s", self.topic, error)
            return
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.on_message, decoded)

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.consumer.close()
