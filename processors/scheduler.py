"""Periodic nudges (subscription renewals, ad breaks, missed stream ends), sent by the one worker
that holds the scheduler's PostgreSQL lock; a standby takes over once the holder's session ends.

A tick is only a nudge: the decider it goes to acts on what its own state says is due, so a
late, early or repeated tick (two holders for a moment) changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import psycopg
from mode import Service

from events.base import Message
from events.producer import AsyncEventProducer, DeliveryFailed
from feeds.reports import REPORT, REPORT_EVERY_S, report

log = logging.getLogger(__name__)

LOCK = "scheduler"
STANDBY_POLL_S = 1.0
RETRY_S = 2.0


@dataclass(frozen=True)
class Ticker:
    name: str
    every_s: float
    tick: Callable[[], Awaitable[Sequence[Message]]]  # the commands to send now


def threaded_ticker(name: str, every_s: float, tick: Callable[[], Sequence[Message]],
                    what: str) -> Ticker:
    """A ticker whose blocking work (files, ffmpeg, the object store) runs on a thread; a tick
    the disk or the store failed sends nothing, and the next one tries again."""

    async def threaded() -> Sequence[Message]:
        try:
            return await asyncio.to_thread(tick)
        except OSError as error:
            log.error("%s failed this time, the next tick tries again: %r", what, error)
            return []

    return Ticker(name, every_s, threaded)


class Scheduler(Service):
    def __init__(self, dsn: str, producer: AsyncEventProducer, tickers: Sequence[Ticker]) -> None:
        super().__init__()
        self.dsn, self.producer, self.tickers = dsn, producer, tickers
        self.leading = False

    @Service.task
    async def _lead_and_tick(self) -> None:
        while not self.should_stop:
            try:
                async with await psycopg.AsyncConnection.connect(self.dsn,
                                                                 autocommit=True) as conn:
                    await self._wait_for_lock(conn)
                    await self._tick_while_leading(conn)
            except (psycopg.OperationalError, DeliveryFailed) as error:
                log.error("scheduler: %r; leading again in %.0f s", error, RETRY_S)
            finally:
                self.leading = False
            await self.sleep(RETRY_S)

    async def _wait_for_lock(self, conn: psycopg.AsyncConnection) -> None:
        while not self.should_stop:
            cur = await conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (LOCK,))
            row = await cur.fetchone()
            if row is not None and row[0]:
                log.info("scheduler: this worker leads")
                self.leading = True
                return
            await self.sleep(STANDBY_POLL_S)

    async def _tick_while_leading(self, conn: psycopg.AsyncConnection) -> None:
        due = {ticker.name: 0.0 for ticker in self.tickers}
        loop = asyncio.get_running_loop()
        while not self.should_stop and self.leading:
            # The lock lives as long as this session: reporting also checks that it does.
            await conn.execute(REPORT, report(LOCK, 0, time.time(), 0))
            for ticker in self.tickers:
                if loop.time() >= due[ticker.name]:
                    due[ticker.name] = loop.time() + ticker.every_s
                    for command in await ticker.tick():
                        await self.producer.send(command)
            next_due = min(due.values()) - loop.time()
            await self.sleep(max(0.0, min(next_due, REPORT_EVERY_S)))

    async def on_stop(self) -> None:
        self.producer.close()
