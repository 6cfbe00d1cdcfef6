"""The raid scheduler: nudges each channel whose raid is counting down with its clock's time;
the channel's decider lets the raid go once its countdown has ended (a late, early or repeated
nudge changes nothing)."""

from __future__ import annotations

import logging

import psycopg

from config.settings import Settings
from events.base import Message
from events.raids import GoRaid
from processors.scheduler import Ticker
from processors.subscription_clock import Clock

log = logging.getLogger(__name__)


async def raiding_channels(dsn: str) -> list[str]:
    async with await psycopg.AsyncConnection.connect(dsn) as conn:
        cur = await conn.execute("SELECT DISTINCT channel FROM raids WHERE ended_at IS NULL")
        return [row[0] for row in await cur.fetchall()]


def raid_ticker(settings: Settings, clock: Clock) -> Ticker:
    async def tick_raids() -> list[Message]:
        try:
            channels = await raiding_channels(settings.postgres)
        except psycopg.OperationalError as error:
            log.warning("raids read model unreachable; next tick tries again: %s", error)
            return []
        return [GoRaid(channel=channel, now=await clock.now(channel)) for channel in channels]

    return Ticker("raids", settings.raid_tick_s, tick_raids)
