"""Subscribing through the public API, the test clock, and reading subscriptions back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import redis

from config.settings import Settings
from processors.subscription_clock import TEST_CLOCK_KEY
from tests.integration.money import GOOD_CARD, key
from tests.integration.oauth_helpers import Account
from tests.waiting import until


def subscribe(api: httpx.Client, account: Account, channel: str, tier: int = 1000,
              card: str = GOOD_CARD, idempotency_key: str | None = "") -> httpx.Response:
    """idempotency_key "" means a fresh one; None sends none."""
    chosen = key() if idempotency_key == "" else idempotency_key
    headers = {**account.auth, **({"Idempotency-Key": chosen} if chosen else {})}
    return api.post(f"/api/v1/channels/{channel}/subscriptions",
                    json={"tier": tier, "card_number": card}, headers=headers)


def gift(api: httpx.Client, account: Account, channel: str, tier: int = 1000,
         card: str = GOOD_CARD, **to: object) -> httpx.Response:
    return api.post(f"/api/v1/channels/{channel}/subscriptions/gifts",
                    json={"tier": tier, "card_number": card, **to},
                    headers={**account.auth, "Idempotency-Key": key()})


def mine(api: httpx.Client, account: Account, position: str | None = None
         ) -> list[dict[str, Any]]:
    params = {"min_position": position} if position else {}
    response = api.get("/api/v1/users/me/subscriptions", params=params, headers=account.auth)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def subscription_to(api: httpx.Client, account: Account, channel: str,
                    position: str | None = None) -> dict[str, Any] | None:
    return next((s for s in mine(api, account, position) if s["channel"] == channel), None)


def becomes(api: httpx.Client, account: Account, channel: str, status: str,
            timeout_s: float = 30) -> dict[str, Any]:
    found = until(lambda: subscription_to(api, account, channel),
                  lambda s: s is not None and s["status"] == status, timeout_s,
                  f"{account.username}'s subscription to {channel} to be {status}")
    assert found is not None
    return found


def set_clock(settings: Settings, channel: str, now: datetime) -> None:
    """Move the channel's time (the test clock only moves what the scheduler sees)."""
    client = redis.Redis.from_url(settings.redis)
    try:
        client.hset(TEST_CLOCK_KEY, channel, now.isoformat())
    finally:
        client.close()
