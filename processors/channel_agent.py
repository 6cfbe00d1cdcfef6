"""Thin Faust agent around the channel decider: one writer per channel partition, pipelined
(see channel_pipeline)."""

from __future__ import annotations

import logging
from typing import cast

import faust

from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.codec import Codec
from processors.channel_decider import ChannelCommand
from processors.channel_pipeline import ChannelPipeline, ChannelTable
from processors.chat_decider import RateLimits
from processors.decisions import decoded_events, raw_topic

log = logging.getLogger(__name__)


def register_channel_decider(app: faust.App, codec: Codec, limits: RateLimits) -> None:
    commands = raw_topic(app, CHANNEL_COMMANDS_TOPIC)
    table = cast(ChannelTable, app.tables.add(ChannelTable(
        app, name="channel-state", default=None, beacon=app.tables.beacon, partitions=12,
        schema=faust.Schema(key_serializer="json", value_serializer="json"),
    )))
    pipeline = ChannelPipeline(app, codec, table, limits)

    @app.agent(commands, concurrency=1)
    async def decide_channel_commands(stream: faust.StreamT[bytes]) -> None:
        # Manual acks: a command is acknowledged once settled, not when the next one arrives.
        async for event, command in decoded_events(
                app, codec, cast(faust.Stream[bytes], stream).noack()):
            if isinstance(command, ChannelCommand):
                await pipeline.take(event, command)
                continue
            log.error("not a channel command: %s at %s/%d/%d", type(command).__name__,
                      event.message.topic, event.message.partition, event.message.offset)
            event.ack()
