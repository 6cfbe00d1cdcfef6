"""The scheduler's clock. Production reads the wall clock; with the `subscription_test_clock`
setting on (never in production: it lets whoever writes to Redis move time), a channel's time
is the one a test stored for it, so a year of renewals runs in seconds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from config.settings import Settings
from stores.redis import async_client

TEST_CLOCK_KEY = "castline:test-clock"  # hash: channel -> ISO 8601 time


class Clock(Protocol):
    async def now(self, channel: str) -> datetime: ...

    def moved(self) -> bool:
        """Whether some channel's time may be ahead of the wall clock."""


class WallClock:
    async def now(self, channel: str) -> datetime:
        return datetime.now(UTC)

    def moved(self) -> bool:
        return False


class StoredTestClock:
    def __init__(self, url: str) -> None:
        self.redis = async_client(url)

    async def now(self, channel: str) -> datetime:
        stored = await self.redis.hget(TEST_CLOCK_KEY, channel)
        if stored is None:
            return datetime.now(UTC)
        return datetime.fromisoformat(stored.decode() if isinstance(stored, bytes) else stored)

    def moved(self) -> bool:
        return True


def clock_from_settings(settings: Settings) -> Clock:
    return StoredTestClock(settings.redis) if settings.subscription_test_clock else WallClock()
