"""Thin Faust agent around the channel decider: one writer per channel partition.

Commands are taken one event at a time because a table write is logged to the changelog
partition of the *current* event; batching the stream would log writes to the wrong one.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

import faust

from events.base import Command
from events.channels import CHANNEL_COMMANDS_TOPIC, CHANNELS_TOPIC
from events.codec import Codec
from events.errors import UndecodableMessage
from events.outcomes import OUTCOMES_TOPIC, CommandDecided
from processors.channel_decider import (
    ChannelCommand,
    ChannelState,
    Rejected,
    RememberedOutcome,
    decide,
    evolve,
    remember,
)
from processors.dead_letters import park

log = logging.getLogger(__name__)


def load_state(stored: dict[str, Any] | None) -> ChannelState:
    if stored is None:
        return ChannelState()
    recent = tuple(
        RememberedOutcome(**{**o, "event_ids": tuple(o["event_ids"]),
                             "positions": tuple(o["positions"])})
        for o in stored["recent"]
    )
    return ChannelState(stored["exists"], stored["title"], stored["category"], recent)


def _raw_topic(app: faust.App, name: str) -> faust.TopicT:
    return app.topic(name, key_serializer="raw", value_serializer="raw")


def register_channel_decider(app: faust.App, codec: Codec) -> None:
    commands = _raw_topic(app, CHANNEL_COMMANDS_TOPIC)
    channel_events = _raw_topic(app, CHANNELS_TOPIC)
    outcomes = _raw_topic(app, OUTCOMES_TOPIC)
    table = app.Table(
        "channel-state", default=None, partitions=12,
        schema=faust.Schema(key_serializer="json", value_serializer="json"),
    )

    async def handle(command: ChannelCommand) -> RememberedOutcome:
        state = load_state(table.get(command.channel))
        remembered = state.outcome_of(str(command.command_id))
        if remembered is not None:
            return remembered
        decided = decide(state, command)
        outcome = await _apply(decided, command, channel_events, codec)
        if not isinstance(decided, Rejected):
            for event in decided:
                state = evolve(state, event)
        table[command.channel] = asdict(remember(state, outcome))
        return outcome

    @app.agent(commands, concurrency=1)
    async def decide_channel_commands(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            message = event.message
            try:
                command = codec.decode(event.value)
            except UndecodableMessage as error:
                await park(app, message.topic, message.partition, message.offset,
                           event.value, event.key, error)
                continue
            if not isinstance(command, Command):
                log.error("not a command on %s/%d/%d", message.topic, message.partition,
                          message.offset)
                continue
            outcome = await handle(command)  # type: ignore[arg-type]
            await outcomes.send(key=outcome.command_id.encode(),
                                value=codec.encode(_decided(outcome)))


async def _apply(
    decided: list[Any] | Rejected, command: ChannelCommand, topic: faust.TopicT, codec: Codec
) -> RememberedOutcome:
    command_id = str(command.command_id)
    if isinstance(decided, Rejected):
        return RememberedOutcome(command_id, decided.error, decided.message, decided.field)
    positions = []
    for event in decided:
        sent = await topic.send(key=event.key().encode(), value=codec.encode(event))
        metadata = await sent
        positions.append(f"{metadata.topic}/{metadata.partition}/{metadata.offset}")
    return RememberedOutcome(
        command_id, event_ids=tuple(str(e.event_id) for e in decided), positions=tuple(positions)
    )


def _decided(outcome: RememberedOutcome) -> CommandDecided:
    return CommandDecided(
        command_id=outcome.command_id, accepted=outcome.error is None, error=outcome.error,
        message=outcome.message, error_field=outcome.field, event_ids=list(outcome.event_ids),
        positions=list(outcome.positions),
    )
