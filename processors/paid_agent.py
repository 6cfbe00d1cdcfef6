"""What the agents around money deciders share: state in a Faust table, one writer per key,
the payment provider called between the decider's pure steps, and each command settled in
order (its events acknowledged by the broker before the table remembers its outcome and the
gateway is answered)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import faust

from events.base import Event
from events.codec import Codec
from payments.provider import ChargeRequest, ChargeResult, PaymentProvider
from processors.charging import UNAVAILABLE, charge_with_retries
from processors.decisions import Rejected, RememberedOutcome, answer, publish

JSON: faust.Schema[Any, Any] = faust.Schema(key_serializer="json", value_serializer="json")


class RemembersOutcomes(Protocol):
    def outcome_of(self, command_id: str) -> RememberedOutcome | None: ...


S = TypeVar("S", bound=RemembersOutcomes)


@dataclass(frozen=True)
class DeciderState(Generic[S]):
    """The decider's state as the agent keeps it: `load`/`dump` turn a table value into state
    and back; `evolve` and `remember` are the decider's own."""

    table: str
    load: Callable[[Any], S]
    dump: Callable[[S], Any]
    evolve: Callable[[S, Event], S]
    remember: Callable[[S, RememberedOutcome], S]


class PaidDeciderAgent(Generic[S]):
    def __init__(self, app: faust.App, codec: Codec, provider: PaymentProvider,
                 decider: DeciderState[S], charge_attempts: int) -> None:
        self.app, self.codec, self.provider = app, codec, provider
        self.decider = decider
        self.attempts = charge_attempts
        self.table = app.Table(decider.table, default=None, partitions=12, schema=JSON)

    def state(self, key: str) -> S:
        return self.decider.load(self.table.get(key))

    def keep(self, key: str, state: S) -> None:
        self.table[key] = self.decider.dump(state)

    async def answered_before(self, state: S, command_id: str) -> bool:
        remembered = state.outcome_of(command_id)
        if remembered is not None:
            await answer(self.app, self.codec, remembered)
        return remembered is not None

    async def settle(self, key: str, state: S, command_id: str,
                     decision: Sequence[Event] | Rejected) -> None:
        """Publish the events (acknowledged), then keep the state and answer."""
        if isinstance(decision, Rejected):
            outcome = RememberedOutcome.rejected(command_id, decision)
        else:
            outcome = await publish(self.app, self.codec, command_id, decision)
            for event in decision:
                state = self.decider.evolve(state, event)
        self.keep(key, self.decider.remember(state, outcome))
        await answer(self.app, self.codec, outcome)

    async def charge(self, request: ChargeRequest) -> ChargeResult | None:
        return await charge_with_retries(self.provider, request, self.attempts)

    async def unavailable(self, command_id: str) -> None:
        """Answered, not remembered: the same key may be tried again."""
        await answer(self.app, self.codec, RememberedOutcome.rejected(command_id, UNAVAILABLE))
