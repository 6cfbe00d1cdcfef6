"""The channel decider, fed a batch of commands at a time by a feed consumer: the workers share
its partitions (feeds.leases), each channel's commands on one of them.

A batch is decided in one PostgreSQL transaction that holds the decider's checkpoint rows: each
command against its channel's latest state, the events sent and acknowledged by the broker, the
changed states and the offsets written, committed; only then are the gateways answered. A crash
before the commit decides the batch again from the stored states, so its events may appear
twice (with the same message ids), never not at all, and no answer speaks of a state that was
not stored. A command refused as unprocessable is also parked on the dead-letter topic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import psycopg
from cachetools import LRUCache

from events.base import Event, Message
from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.errors import UndecodableMessage, UnprocessableMessage
from events.producer import EventProducer
from events.storable import unstorable_field
from feeds import checkpoints
from feeds.checkpoints import unapplied
from feeds.parking import DeadLetterSink, decode_or_park, park
from feeds.records import Envelope, LogRecord
from processors.channel_states import load_states, store_states
from processors.deciders.channels import ChannelCommand, ChannelState, decide, evolve, remember
from processors.deciders.chat import RateLimits
from processors.deciders.decisions import Rejected, RememberedOutcome

log = logging.getLogger(__name__)

NAME = "channel_decider"
UNPROCESSABLE = "unprocessable"
CACHED_CHANNELS = 100_000  # states kept in memory between batches; the rest are read again


@dataclass(frozen=True)
class Pending:
    """A command decided in this batch, answered once its events have positions."""

    command_id: str
    channel: str
    rejection: Rejected | None
    events: slice  # of the batch's events

    def outcome(self, events: Sequence[Event], positions: Sequence[str]) -> RememberedOutcome:
        if self.rejection is not None:
            return RememberedOutcome.rejected(self.command_id, self.rejection)
        return RememberedOutcome(
            self.command_id, event_ids=tuple(str(e.event_id) for e in events[self.events]),
            positions=tuple(positions[self.events]))


@dataclass
class Batch:
    states: dict[str, ChannelState]  # every channel the batch touches, as decided so far
    events: list[Event] = field(default_factory=list)
    pending: dict[str, Pending] = field(default_factory=dict)  # by command id
    answers: list[RememberedOutcome | Pending] = field(default_factory=list)  # in command order
    refused: list[tuple[LogRecord, UndecodableMessage]] = field(default_factory=list)  # to park


class ChannelDecider:
    """A feed for FeedConsumer (see projections.runner.Feed)."""

    topics: tuple[str, ...] = (CHANNEL_COMMANDS_TOPIC,)

    def __init__(self, conn: psycopg.Connection, producer: EventProducer,
                 decode: Callable[[bytes], Message], dead_letters: DeadLetterSink,
                 limits: RateLimits, name: str = NAME) -> None:
        self.conn, self.producer, self.decode = conn, producer, decode
        self.dead_letters, self.limits, self.name = dead_letters, limits, name
        self.cache: LRUCache[str, ChannelState] = LRUCache(CACHED_CHANNELS)

    def checkpoints(self) -> dict[checkpoints.Partition, int]:
        # Reading starts again from here: another worker may have decided for these partitions
        # meanwhile, so what is cached of their channels is read again.
        self.cache.clear()
        return checkpoints.load(self.conn, self.name)

    def tick(self) -> bool:
        return False

    def flush(self) -> None:
        """Each batch is committed before apply_batch returns; its answers, sent soon after,
        are delivered here: before the feed stops or lets partitions go."""
        self.producer.drain()

    def apply_batch(self, records: Sequence[LogRecord]) -> int:
        with self.conn.transaction():
            fresh = unapplied(self.conn, self.name, records)
            envelopes, _ = decode_or_park(fresh, self.decode, self.dead_letters, self.name)
            commands = self._commands(envelopes, fresh)
            batch = self._decided(commands)
            park(batch.refused, self.dead_letters, self.name)
            positions = [p.token for p in self.producer.send(batch.events)]
            answers = self._settled(batch, positions)
            store_states(self.conn, {c: batch.states[c] for c in {p.channel for p in
                                                                   batch.pending.values()}})
            checkpoints.advance(self.conn, self.name, {(r.topic, r.partition): r.offset
                                                  for r in fresh})
        self.cache.update(batch.states)
        self.producer.send_soon([answer.decided() for answer in answers])
        return len(commands)

    def _commands(self, envelopes: Sequence[Envelope], records: Sequence[LogRecord]
                  ) -> list[tuple[LogRecord, ChannelCommand]]:
        at = {(r.topic, r.partition, r.offset): r for r in records}
        commands = []
        for e in envelopes:
            if isinstance(e.message, ChannelCommand):
                commands.append((at[(e.topic, e.partition, e.offset)], e.message))
            else:
                log.error("not a channel command: %s at %s/%d/%d", type(e.message).__name__,
                          e.topic, e.partition, e.offset)
        return commands

    def _decided(self, commands: Sequence[tuple[LogRecord, ChannelCommand]]) -> Batch:
        # Text no store can hold is refused before any state is read by it (a channel name
        # with a NUL would fail the whole batch's read).
        unfit = {id(c): field for _, c in commands if (field := unstorable_field(c)) is not None}
        batch = Batch(self._states({c.channel for _, c in commands if id(c) not in unfit}))
        for record, command in commands:
            command_id = str(command.command_id)
            if id(command) in unfit:
                self._refuse(batch, record, command_id, unfit[id(command)])
                continue
            state = batch.states[command.channel]
            # A redelivered or retried command is answered as before, not applied again.
            earlier = batch.pending.get(command_id) or state.outcome_of(command_id)
            if earlier is not None:
                batch.answers.append(earlier)
                continue
            rejection, events, state = self._decision(state, command)
            if rejection is not None and rejection.error == UNPROCESSABLE:
                batch.refused.append((record, UnprocessableMessage(
                    f"{rejection.field or 'command'}: {rejection.message}")))
            batch.states[command.channel] = state
            start = len(batch.events)
            batch.events.extend(events)
            pending = Pending(command_id, command.channel, rejection,
                              slice(start, len(batch.events)))
            batch.pending[command_id] = pending
            batch.answers.append(pending)
        return batch

    def _decision(self, state: ChannelState, command: ChannelCommand
                  ) -> tuple[Rejected | None, tuple[Event, ...], ChannelState]:
        """The command's rejection or events, and the state after them. A command that a rule
        fails on is refused alone: the batch goes on."""
        try:
            decision = decide(state, command, self.limits)
            if isinstance(decision, Rejected):
                return decision, decision.events, state
            events, after = tuple(decision), state
            for event in events:
                after = evolve(after, event)
        except Exception as error:  # one command's fault must not stop the feed
            log.exception("channel decider could not decide %s %s", type(command).__name__,
                          command.command_id)
            return Rejected(UNPROCESSABLE, f"the command could not be decided: {error!r}"
                            ), (), state
        return None, events, after

    @staticmethod
    def _refuse(batch: Batch, record: LogRecord, command_id: str, field: str) -> None:
        rejection = Rejected(UNPROCESSABLE, "text with a NUL character cannot be stored", field)
        batch.refused.append((record, UnprocessableMessage(f"{field}: {rejection.message}")))
        batch.answers.append(RememberedOutcome.rejected(command_id, rejection))

    def _states(self, channels: set[str]) -> dict[str, ChannelState]:
        missing = [c for c in channels if c not in self.cache]
        loaded = load_states(self.conn, missing) if missing else {}
        return {c: self.cache[c] if c in self.cache else loaded[c] for c in channels}

    def _settled(self, batch: Batch, positions: Sequence[str]) -> list[RememberedOutcome]:
        """Each answer, with the decided ones remembered by their channels, in order."""
        outcomes = {cid: p.outcome(batch.events, positions) for cid, p in batch.pending.items()}
        for cid, pending in batch.pending.items():
            batch.states[pending.channel] = remember(batch.states[pending.channel], outcomes[cid])
        return [outcomes[a.command_id] if isinstance(a, Pending) else a for a in batch.answers]
