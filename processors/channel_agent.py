"""Thin Faust agent around the channel decider: one writer per channel partition."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

import faust

from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.codec import Codec
from processors.channel_decider import ChannelCommand, ChannelState, decide, evolve, remember
from processors.chat_decider import RateLimits
from processors.chat_moderation import ChatModes
from processors.decisions import (
    Rejected,
    RememberedOutcome,
    answer,
    decoded,
    publish,
    raw_topic,
)
from processors.stream_decider import LiveSession

log = logging.getLogger(__name__)


def load_state(stored: dict[str, Any] | None) -> ChannelState:
    if stored is None:
        return ChannelState()
    recent = tuple(RememberedOutcome.load(o) for o in stored["recent"])
    live = stored.get("live")
    return ChannelState(stored["exists"], stored["title"], stored["category"], recent,
                        stored.get("owner_id"), tuple(stored.get("moderators", ())),
                        stored.get("key_hash"), LiveSession(**live) if live else None,
                        tuple(stored.get("tags", ())), stored.get("language", ""),
                        stored.get("suspended", False),
                        {u: tuple(t) for u, t in stored.get("chat_recent", {}).items()},
                        dict(stored.get("chat_bans", {})),
                        _modes(stored.get("chat_modes", {})))


def _modes(stored: dict[str, Any]) -> ChatModes:
    return ChatModes(**{**stored, "blocked_terms": tuple(stored.get("blocked_terms", ()))})


def register_channel_decider(app: faust.App, codec: Codec, limits: RateLimits) -> None:
    commands = raw_topic(app, CHANNEL_COMMANDS_TOPIC)
    table = app.Table(
        "channel-state", default=None, partitions=12,
        schema=faust.Schema(key_serializer="json", value_serializer="json"),
    )

    async def handle(command: ChannelCommand) -> RememberedOutcome:
        state = load_state(table.get(command.channel))
        command_id = str(command.command_id)
        remembered = state.outcome_of(command_id)
        if remembered is not None:
            return remembered
        decided = decide(state, command, limits)
        if isinstance(decided, Rejected):
            await publish(app, codec, command_id, decided.events)
            outcome = RememberedOutcome.rejected(command_id, decided)
        else:
            outcome = await publish(app, codec, command_id, decided)
            for event in decided:
                state = evolve(state, event)
        table[command.channel] = asdict(remember(state, outcome))
        return outcome

    @app.agent(commands, concurrency=1)
    async def decide_channel_commands(stream: faust.StreamT[bytes]) -> None:
        async for command in decoded(app, codec, stream):
            if not isinstance(command, ChannelCommand):
                log.error("not a channel command: %s", type(command).__name__)
                continue
            await answer(app, codec, await handle(command))
