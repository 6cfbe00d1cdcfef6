"""Waiting for a decider's answer: every gateway tails the outcomes topic from its end."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from uuid import uuid4

from confluent_kafka import Consumer, TopicPartition

from events.base import Message
from events.errors import UndecodableMessage
from events.outcomes import OUTCOMES_TOPIC, CommandDecided

log = logging.getLogger(__name__)


class OutcomeListener:
    """Outcomes are matched to waiters by command id; unmatched ones belong to other gateways."""

    def __init__(self, bootstrap: str, decode: Callable[[bytes], Message]) -> None:
        self.decode = decode
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap,
            "group.id": f"castline-gateway-{uuid4()}",
            "enable.auto.commit": False,
            "fetch.wait.max.ms": 10,
        })
        self.waiters: dict[str, asyncio.Future[CommandDecided]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outcomes", daemon=True)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Assign every partition at its current end before any command is sent."""
        self.loop = loop
        metadata = self.consumer.list_topics(OUTCOMES_TOPIC, timeout=10)
        partitions = []
        for number in metadata.topics[OUTCOMES_TOPIC].partitions:
            _low, high = self.consumer.get_watermark_offsets(
                TopicPartition(OUTCOMES_TOPIC, number), timeout=10
            )
            partitions.append(TopicPartition(OUTCOMES_TOPIC, number, high))
        self.consumer.assign(partitions)
        self._thread.start()

    def expect(self, command_id: str) -> asyncio.Future[CommandDecided]:
        assert self.loop is not None
        future: asyncio.Future[CommandDecided] = self.loop.create_future()
        self.waiters[command_id] = future
        return future

    def forget(self, command_id: str) -> None:
        self.waiters.pop(command_id, None)

    def _run(self) -> None:
        while not self._stop.is_set():
            for message in self.consumer.consume(500, timeout=0.1):
                value = message.value()
                if message.error() is None and value is not None:
                    self._deliver(value)

    def _deliver(self, value: bytes) -> None:
        try:
            outcome = self.decode(value)
        except UndecodableMessage as error:
            log.error("undecodable outcome on %s: %s", OUTCOMES_TOPIC, error)
            return
        if isinstance(outcome, CommandDecided) and self.loop is not None:
            self.loop.call_soon_threadsafe(self._settle, outcome)

    def _settle(self, outcome: CommandDecided) -> None:
        future = self.waiters.pop(outcome.command_id, None)
        if future is not None and not future.done():
            future.set_result(outcome)

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.consumer.close()
