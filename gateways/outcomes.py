"""Waiting for a decider's answer: every gateway tails the outcomes topic from its end."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from events.base import Message
from events.outcomes import OUTCOMES_TOPIC, CommandDecided
from gateways.topic_tail import TopicTail


class OutcomeListener:
    """Outcomes are matched to waiters by command id; unmatched ones belong to other gateways.

    A command may have several waiters: requests retried with the same Idempotency-Key while
    the first is still waiting name the same command, and each gets the outcome."""

    def __init__(self, bootstrap: str, decode: Callable[[bytes], Message]) -> None:
        self.tail = TopicTail(bootstrap, OUTCOMES_TOPIC, decode, self._settle)
        self.waiters: dict[str, list[asyncio.Future[CommandDecided]]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """From the end of every partition, before any command is sent."""
        self.loop = loop
        self.tail.start(loop)

    def expect(self, command_id: str) -> asyncio.Future[CommandDecided]:
        assert self.loop is not None
        future: asyncio.Future[CommandDecided] = self.loop.create_future()
        self.waiters.setdefault(command_id, []).append(future)
        return future

    def forget(self, command_id: str, future: asyncio.Future[CommandDecided]) -> None:
        waiting = self.waiters.get(command_id, [])
        if future in waiting:
            waiting.remove(future)
        if not waiting:
            self.waiters.pop(command_id, None)

    def _settle(self, outcome: Message) -> None:
        if not isinstance(outcome, CommandDecided):
            return
        for future in self.waiters.pop(outcome.command_id, []):
            if not future.done():
                future.set_result(outcome)

    def close(self) -> None:
        self.tail.close()
