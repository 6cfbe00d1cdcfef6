"""What every decider agent shares: rejections, remembered outcomes, publishing, answering."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import faust

from events.base import Event, Message
from events.codec import Codec
from events.errors import UndecodableMessage
from events.outcomes import OUTCOMES_TOPIC, CommandDecided
from processors.dead_letters import park

log = logging.getLogger(__name__)

RECENT_COMMANDS_KEPT = 32


@dataclass(frozen=True)
class Rejected:
    """A refusal; `events` record the attempt where the refusal itself is a fact worth keeping."""

    error: str
    message: str
    field: str | None = None
    events: tuple[Event, ...] = ()
    retry_after_s: float | None = None


@dataclass(frozen=True)
class RememberedOutcome:
    command_id: str
    error: str | None = None
    message: str | None = None
    field: str | None = None
    event_ids: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    retry_after_s: float | None = None

    @classmethod
    def rejected(cls, command_id: str, rejection: Rejected) -> RememberedOutcome:
        return cls(command_id, rejection.error, rejection.message, rejection.field,
                   retry_after_s=rejection.retry_after_s)

    @classmethod
    def load(cls, stored: dict[str, Any]) -> RememberedOutcome:
        return cls(**{**stored, "event_ids": tuple(stored["event_ids"]),
                      "positions": tuple(stored["positions"])})

    def decided(self) -> CommandDecided:
        return CommandDecided(
            command_id=self.command_id, accepted=self.error is None, error=self.error,
            message=self.message, error_field=self.field, event_ids=list(self.event_ids),
            positions=list(self.positions), retry_after_s=self.retry_after_s,
        )


def recent_window(
    recent: tuple[RememberedOutcome, ...], outcome: RememberedOutcome
) -> tuple[RememberedOutcome, ...]:
    """Keep the last few outcomes so a redelivered or retried command is answered the same
    way, not applied twice."""
    return (*recent, outcome)[-RECENT_COMMANDS_KEPT:]


@functools.lru_cache(maxsize=64)
def raw_topic(app: faust.App, name: str) -> faust.TopicT:
    return app.topic(name, key_serializer="raw", value_serializer="raw")


async def send(topic: faust.TopicT, codec: Codec, message: Message) -> str:
    """Send and wait for the broker's acknowledgement; return the log position."""
    metadata = await (await topic.send(key=message.key().encode(), value=codec.encode(message)))
    return f"{metadata.topic}/{metadata.partition}/{metadata.offset}"


async def publish(
    app: faust.App, codec: Codec, command_id: str, events: Sequence[Event]
) -> RememberedOutcome:
    """Send each event to its own topic, in order, each acknowledged before the next."""
    positions = [await send(raw_topic(app, event.topic), codec, event) for event in events]
    return RememberedOutcome(
        command_id, event_ids=tuple(str(e.event_id) for e in events), positions=tuple(positions)
    )


async def answer(app: faust.App, codec: Codec, outcome: RememberedOutcome) -> None:
    await send(raw_topic(app, OUTCOMES_TOPIC), codec, outcome.decided())


async def decoded(
    app: faust.App, codec: Codec, stream: faust.StreamT[bytes]
) -> AsyncIterator[Message]:
    """The stream's messages, decoded; undecodable ones are parked, never skipped silently.

    One event at a time: a table write is logged to the changelog partition of the *current*
    event, so batching the stream would log writes to the wrong partition.
    """
    async for _, message in decoded_events(app, codec, stream):
        yield message


async def decoded_events(
    app: faust.App, codec: Codec, stream: faust.StreamT[bytes]
) -> AsyncIterator[tuple[faust.EventT[bytes], Message]]:
    """As `decoded`, with each message's Faust event; a parked one is acknowledged here."""
    async for event in stream.events():
        message = event.message
        try:
            decoded_message = codec.decode(event.value)
        except UndecodableMessage as error:
            await park(app, message.topic, message.partition, message.offset,
                       event.value, event.key, error)
            event.ack()
            continue
        yield event, decoded_message
