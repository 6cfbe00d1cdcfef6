"""The ad scheduler: a ticker that nudges every live channel with its clock's time.

The tick is only a nudge: the channel's decider starts a break if its schedule says one is
due, so a late, early or repeated tick starts nothing twice. The clock is the subscription
scheduler's (injectable: tests move a channel's time instead of waiting minutes).
"""

from __future__ import annotations

import logging

import psycopg

from config.settings import Settings
from events.ads import TickAdSchedule
from events.base import Message
from processors.scheduler import Ticker
from processors.subscription_clock import Clock

log = logging.getLogger(__name__)


async def live_channels(dsn: str) -> list[str]:
    async with await psycopg.AsyncConnection.connect(dsn) as conn:
        cur = await conn.execute("SELECT channel FROM channels WHERE live_session_id IS NOT NULL")
        return [row[0] for row in await cur.fetchall()]


def ad_ticker(settings: Settings, clock: Clock) -> Ticker:
    async def tick_ad_schedules() -> list[Message]:
        try:
            channels = await live_channels(settings.postgres)
        except psycopg.OperationalError as error:
            log.warning("channels read model unreachable; next tick tries again: %s", error)
            return []
        return [TickAdSchedule(channel=channel, now=await clock.now(channel),
                               **settings.ad_rates()) for channel in channels]

    return Ticker("ads", settings.ad_tick_s, tick_ad_schedules)
