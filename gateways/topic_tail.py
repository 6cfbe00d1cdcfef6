"""A gateway's private reader of topics from their end: a thread decodes what arrives and hands
it to the event loop. No group membership; every gateway reads every partition.

One consumer reads every topic the gateway follows: the local broker answers an empty fetch at
once, so each consumer that has something to read keeps fetching without pause, and a gateway
with one per topic had several such loops at once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping
from uuid import uuid4

from confluent_kafka import Consumer

from events.base import Message
from events.consuming import RestingReader, end_offsets
from events.errors import UndecodableMessage

log = logging.getLogger(__name__)
BATCH = 1000
MessageHandler = Callable[[Message], None]


class TopicTail:
    def __init__(self, bootstrap: str, handlers: Mapping[str, MessageHandler],
                 decode: Callable[[bytes], Message]) -> None:
        """Each handler runs on the event loop, in its topic's order per partition."""
        self.handlers = dict(handlers)
        self.decode = decode
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap, "group.id": f"castline-tail-{uuid4()}",
            "enable.auto.commit": False, "fetch.wait.max.ms": 10,
        })
        self.reader = RestingReader(self.consumer, "topic tail")
        self.loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="topic-tail", daemon=True)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Assign every partition at its current end, then read: what follows is seen."""
        self.loop = loop
        starts = []
        for topic in self.handlers:
            metadata = self.consumer.list_topics(topic, timeout=10).topics[topic]
            starts += end_offsets(self.consumer, topic, list(metadata.partitions))
        self.reader.assign(starts)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            arrived = [self._decoded(m.topic() or "", m.value() or b"")
                       for m in self.reader.available(BATCH, timeout_s=0.1)
                       if m.error() is None and m.value() is not None]
            handed = [pair for pair in arrived if pair is not None]
            if handed and self.loop is not None:
                self.loop.call_soon_threadsafe(_hand_over, handed)

    def _decoded(self, topic: str, value: bytes) -> tuple[MessageHandler, Message] | None:
        try:
            return self.handlers[topic], self.decode(value)
        except UndecodableMessage as error:
            log.error("undecodable message on %s: %s", topic, error)
            return None

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.reader.close()


def _hand_over(handed: list[tuple[MessageHandler, Message]]) -> None:
    for handler, message in handed:
        handler(message)
