"""Waiting for a decider's answer: every gateway tails the outcomes topic from its end (its
topic tail hands each outcome to `settle`)."""

from __future__ import annotations

import asyncio

from events.base import Message
from events.outcomes import CommandDecided


class OutcomeListener:
    """Outcomes are matched to waiters by command id; unmatched ones belong to other gateways.

    A command may have several waiters: requests retried with the same Idempotency-Key while
    the first is still waiting name the same command, and each gets the outcome."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.waiters: dict[str, list[asyncio.Future[CommandDecided]]] = {}
        self.loop = loop

    def expect(self, command_id: str) -> asyncio.Future[CommandDecided]:
        future: asyncio.Future[CommandDecided] = self.loop.create_future()
        self.waiters.setdefault(command_id, []).append(future)
        return future

    def forget(self, command_id: str, future: asyncio.Future[CommandDecided]) -> None:
        waiting = self.waiters.get(command_id, [])
        if future in waiting:
            waiting.remove(future)
        if not waiting:
            self.waiters.pop(command_id, None)

    def settle(self, outcome: Message) -> None:
        if not isinstance(outcome, CommandDecided):
            return
        for future in self.waiters.pop(outcome.command_id, []):
            if not future.done():
                future.set_result(outcome)
