"""Channel commands decided without waiting for the broker between them.

A command is decided at once against the channel's latest state (in flight, or as the table
holds it) and its events are handed to the producer. It is *settled* once they are acknowledged:
only then does the table learn the new state and the command's outcome, is the gateway
answered, and is the command acknowledged to Faust, which commits no offset past an
unacknowledged command. So the table and the committed offsets only ever hold what is in the
log; a crash re-decides the commands that were in flight, and their events may appear twice
(with the same message ids), never not at all.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import faust

from events.base import Event
from events.codec import Codec
from processors.channel_decider import ChannelCommand, ChannelState, decide, evolve
from processors.chat_decider import RateLimits
from processors.decisions import Rejected, RememberedOutcome, raw_topic, recent_window
from processors.state_codec import dump_state, load_state

log = logging.getLogger(__name__)
MAX_IN_FLIGHT = 500
Settled = Callable[[tuple[str, ...]], RememberedOutcome]  # positions -> outcome


class ChannelTable(faust.Table[str, Any]):
    """Logs a channel's changes to the partition its commands arrive on, so that a change may
    be written after the command's own iteration, once its events are acknowledged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partition_of: dict[str, int] = {}

    def partition_for_key(self, key: Any) -> int | None:
        return self.partition_of[key]


@dataclass
class Flight:
    """A channel with commands decided but not yet settled."""

    state: ChannelState  # after the last decided command
    durable_recent: tuple[RememberedOutcome, ...]  # the outcomes the table holds
    pending: int = 0
    last: asyncio.Task[None] | None = None


class ChannelPipeline:
    def __init__(self, app: faust.App, codec: Codec, table: ChannelTable,
                 limits: RateLimits) -> None:
        self.app, self.codec, self.table, self.limits = app, codec, table, limits
        self.flights: dict[str, Flight] = {}
        self.window = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.crashing: asyncio.Future[None] | None = None

    def flight(self, channel: str) -> Flight:
        if channel not in self.flights:
            state = load_state(self.table.get(channel))
            self.flights[channel] = Flight(state, state.recent)
        return self.flights[channel]

    async def take(self, event: faust.EventT[bytes], command: ChannelCommand) -> None:
        await self.window.acquire()
        self.table.partition_of[command.channel] = event.message.partition
        flight = self.flight(command.channel)
        flight.pending += 1  # before any await: a settlement must not retire this flight
        command_id = str(command.command_id)
        remembered = flight.state.outcome_of(command_id)
        events: tuple[Event, ...] = ()
        if remembered is not None:  # a redelivered or retried command: answered, not applied
            settled: Settled = lambda _: remembered  # noqa: E731
        else:
            events, settled = self.decided(flight, command_id, command)
        after = flight.state if remembered is None else None
        previous = flight.last
        sends = [await self.enqueue(e) for e in events]
        flight.last = asyncio.create_task(self.settle(
            event, command.channel, flight, after, sends, settled, previous))
        flight.last.add_done_callback(self.crash_on_error)

    def decided(self, flight: Flight, command_id: str,
                command: ChannelCommand) -> tuple[tuple[Event, ...], Settled]:
        decision = decide(flight.state, command, self.limits)
        if isinstance(decision, Rejected):
            return decision.events, lambda _: RememberedOutcome.rejected(command_id, decision)
        for decided_event in decision:
            flight.state = evolve(flight.state, decided_event)
        ids = tuple(str(e.event_id) for e in decision)
        return tuple(decision), lambda positions: RememberedOutcome(
            command_id, event_ids=ids, positions=positions)

    async def enqueue(self, event: Event) -> Awaitable[Any]:
        """Hand the event to the producer; the result resolves once the broker has it."""
        topic = raw_topic(self.app, event.topic)
        sent: Awaitable[Any] = await topic.send(key=event.key().encode(),
                                                value=self.codec.encode(event))
        return sent

    async def settle(self, event: faust.EventT[bytes], channel: str, flight: Flight,
                     after: ChannelState | None,
                     sends: list[Awaitable[Any]], settled: Settled,
                     previous: asyncio.Task[None] | None) -> None:
        try:
            positions = tuple([position(await sent) for sent in sends])
            if previous is not None:
                await previous  # a channel's settlements keep their commands' order
            outcome = settled(positions)
            if after is not None:
                recent = recent_window(flight.durable_recent, outcome)
                self.table[channel] = dump_state(replace(after, recent=recent))
                flight.durable_recent = recent
                flight.state = replace(flight.state, recent=recent)
            await self.enqueue(outcome.decided())
            event.ack()
        finally:
            self.window.release()
            flight.pending -= 1
            if flight.pending == 0:
                del self.flights[channel]

    def crash_on_error(self, task: asyncio.Task[None]) -> None:
        error = None if task.cancelled() else task.exception()
        if error is None:
            return
        log.error("settling a channel command failed; the worker stops so that the "
                  "command is decided again after a restart: %r", error)
        self.crashing = asyncio.ensure_future(self.app.crash(error))


def position(metadata: Any) -> str:
    return f"{metadata.topic}/{metadata.partition}/{metadata.offset}"
