"""The sign-in counters against real Redis, including the per-address limit."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
import redis.asyncio as aioredis

from castline.settings import Settings
from gateways import login_limits
from gateways.errors import ApiError

LIMITS = login_limits.LoginLimits(per_account=3, per_address=4, window_s=60)


async def fail(client: aioredis.Redis, login: str, address: str, times: int) -> None:
    for _ in range(times):
        await login_limits.check(client, LIMITS, login, address)
        await login_limits.record_failure(client, LIMITS, login, address)


def test_address_limit_spans_accounts(stack: Settings) -> None:
    async def scenario() -> ApiError:
        client = aioredis.from_url(stack.redis)
        address = f"198.51.100.{uuid4().int % 250}-{uuid4().hex[:6]}"
        try:
            for n in range(2):
                await fail(client, f"acct-{uuid4().hex}-{n}", address, 2)
            with pytest.raises(ApiError) as refused:
                await login_limits.check(client, LIMITS, f"fresh-{uuid4().hex}", address)
            return refused.value
        finally:
            await client.aclose()

    refused = asyncio.run(scenario())
    assert refused.status == 429
    assert refused.headers is not None
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_success_clears_the_account_counter(stack: Settings) -> None:
    async def scenario() -> None:
        client = aioredis.from_url(stack.redis)
        login = f"acct-{uuid4().hex}"
        try:
            await fail(client, login, f"addr-{uuid4().hex}", 2)
            await login_limits.record_success(client, login)
            await fail(client, login, f"addr-{uuid4().hex}", 2)
            await login_limits.check(client, LIMITS, login, "elsewhere")
        finally:
            await client.aclose()

    asyncio.run(scenario())
