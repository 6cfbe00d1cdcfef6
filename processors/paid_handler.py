"""What the handlers around money deciders share: one writer per key, the payment provider
called between the decider's pure steps, and an answer that is not remembered when the
provider kept failing (the same key may be tried again)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, Generic, TypeVar

from payments.provider import ChargeRequest, ChargeResult, PaymentProvider
from processors.charging import UNAVAILABLE, charge_with_retries
from processors.decider_states import StateKind
from processors.deciders.decisions import RememberedOutcome
from processors.decision_batch import DecisionBatch

S = TypeVar("S")
T = TypeVar("T")


class PaidHandler(Generic[S]):
    """The provider's client is asynchronous: its calls run to their end on an event loop of
    the handler's own, from the feed's thread, for the feed's whole life (the provider's
    connections belong to the loop that opened them)."""

    def __init__(self, provider: PaymentProvider, kind: StateKind[S],
                 charge_attempts: int) -> None:
        self.provider, self.kind = provider, kind
        self.attempts = charge_attempts
        self.loop = asyncio.Runner()

    def run(self, call: Coroutine[Any, Any, T]) -> T:
        return self.loop.run(call)

    def close(self) -> None:
        self.run(self.provider.close())
        self.loop.close()

    def charge(self, request: ChargeRequest) -> ChargeResult | None:
        return self.run(charge_with_retries(self.provider, request, self.attempts))

    def unavailable(self, batch: DecisionBatch, command_id: str) -> None:
        batch.answer(RememberedOutcome.rejected(command_id, UNAVAILABLE))
