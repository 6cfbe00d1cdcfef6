"""What a decider's handlers see while a batch of commands is decided: each aggregate's latest
state, the messages to send, and the answers to give once the batch is committed.

Nothing leaves the batch while it is decided: events and commands are sent (and acknowledged)
together before the commit, answers after it. A command's outcome is remembered by its
aggregate only once its events have positions, so a retry in the same batch finds the
pending outcome instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from events.base import Event, Message
from events.positions import Position
from processors.decider_states import RemembersOutcomes, StateKind
from processors.deciders.decisions import Rejected, RememberedOutcome

S = TypeVar("S")
StateKey = tuple[str, str]  # (kind, key)


@dataclass(frozen=True)
class Pending:
    """A command decided in this batch: its outcome, once its events have positions."""

    command_id: str
    events: slice  # of the batch's outgoing messages
    rejection: Rejected | None
    remembered_by: StateKey | None

    def outcome(self, outgoing: Sequence[Message],
                positions: Sequence[Position]) -> RememberedOutcome:
        if self.rejection is not None:
            return RememberedOutcome.rejected(self.command_id, self.rejection)
        events = outgoing[self.events]
        return RememberedOutcome(
            self.command_id, event_ids=tuple(str(e.event_id) for e in events
                                             if isinstance(e, Event)),
            positions=tuple(p.token for p in positions[self.events]))


@dataclass(frozen=True)
class Mark:
    """How far a batch had got: what a command that failed is rolled back to."""

    outgoing: int
    answers: int
    pending: int
    kept: int


@dataclass
class DecisionBatch:
    kinds: dict[str, StateKind[Any]]
    states: dict[StateKey, Any]  # loaded for the batch's keys, then as decided so far
    earlier: dict[str, RememberedOutcome] = field(default_factory=dict)  # stored, by command id
    outgoing: list[Message] = field(default_factory=list)
    pending: dict[str, Pending] = field(default_factory=dict)  # by command id
    answers: list[RememberedOutcome | Pending] = field(default_factory=list)
    changed: set[StateKey] = field(default_factory=set)
    kept: list[tuple[StateKey, Any, bool]] = field(default_factory=list)  # to roll back

    def state(self, kind: StateKind[S], key: str) -> S:
        state: S = self.states[(kind.name, key)]
        return state

    def keep(self, kind: StateKind[S], key: str, state: S) -> None:
        at = (kind.name, key)
        self.kept.append((at, self.states[at], at in self.changed))
        self.states[at] = state
        self.changed.add(at)

    def send(self, *messages: Message) -> None:
        """Commands and questions to other deciders, sent with the batch's events."""
        self.outgoing.extend(messages)

    def publish(self, events: Iterable[Event]) -> None:
        """Events that answer no command (a scheduler's tick)."""
        self.outgoing.extend(events)

    def answered_before(self, state: RemembersOutcomes, command_id: str) -> bool:
        """A redelivered or retried command is answered as before, not decided again."""
        earlier = (self.pending.get(command_id) or self.earlier.get(command_id)
                   or state.outcome_of(command_id))
        if earlier is not None:
            self.answers.append(earlier)
        return earlier is not None

    def settle(self, kind: StateKind[S], key: str, state: S, command_id: str,
               decision: Sequence[Event] | Rejected) -> None:
        """Queue the events, keep the evolved state, and answer once positions are known."""
        start = len(self.outgoing)
        rejection: Rejected | None = None
        if isinstance(decision, Rejected):
            rejection = decision
        else:
            for event in decision:
                state = kind.evolve(state, event)
            self.outgoing.extend(decision)
        self.keep(kind, key, state)
        pending = Pending(command_id, slice(start, len(self.outgoing)), rejection,
                          (kind.name, key))
        self.pending[command_id] = pending
        self.answers.append(pending)

    def answer(self, outcome: RememberedOutcome) -> None:
        """An answer that is not remembered: the same command may be tried again."""
        self.answers.append(outcome)

    def mark(self) -> Mark:
        return Mark(len(self.outgoing), len(self.answers), len(self.pending), len(self.kept))

    def roll_back(self, mark: Mark) -> None:
        del self.outgoing[mark.outgoing:]
        del self.answers[mark.answers:]
        while len(self.pending) > mark.pending:
            self.pending.popitem()  # the latest first: dicts keep insertion order
        while len(self.kept) > mark.kept:
            at, previous, was_changed = self.kept.pop()
            self.states[at] = previous
            if not was_changed:
                self.changed.discard(at)

    def settled(self, positions: Sequence[Position]
                ) -> tuple[list[RememberedOutcome], dict[str, RememberedOutcome]]:
        """Each answer in command order, and the outcomes decided in this batch (remembered by
        their aggregates too)."""
        outcomes = {cid: p.outcome(self.outgoing, positions) for cid, p in self.pending.items()}
        for cid, pending in self.pending.items():
            if pending.remembered_by is not None:
                kind = self.kinds[pending.remembered_by[0]]
                self.states[pending.remembered_by] = kind.remember(
                    self.states[pending.remembered_by], outcomes[cid])
        answers = [outcomes[a.command_id] if isinstance(a, Pending) else a for a in self.answers]
        return answers, outcomes

    def documents(self) -> dict[str, dict[str, Any]]:
        """The changed states to store, by kind."""
        stored: dict[str, dict[str, Any]] = {}
        for kind_name, key in self.changed:
            kind = self.kinds[kind_name]
            stored.setdefault(kind_name, {})[key] = kind.dump(self.states[(kind_name, key)])
        return stored
