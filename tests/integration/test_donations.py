"""Donations through HTTP: limits, the chat's rules on the message, shown in chat, earned."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.integration.money import (
    DECLINED_CARD,
    charges_for,
    donate,
    key,
    with_channel,
)
from tests.integration.oauth_helpers import signed_in
from tests.integration.test_chat import join
from tests.running import RunningPlatform


def test_a_donation_is_shown_in_chat_and_earned_by_the_channel(
        platform: RunningPlatform, api: httpx.Client) -> None:
    streamer, fan = with_channel(api, "tipped"), signed_in(api, "donor")
    with join(platform.base_url, streamer.username) as viewer:
        made = donate(api, fan, streamer.username, 1000, key(), "great stream")
        assert made.status_code == 201, made.text
        while (frame := json.loads(viewer.recv(timeout=30)))["type"] != "donation":
            pass
    assert (frame["username"], frame["amount"], frame["currency"], frame["message"]) == (
        fan.username, 1000, "USD", "great stream")
    position = {"min_position": made.json()["position"]}
    earned = api.get(f"/api/v1/channels/{streamer.username}/earnings", params=position,
                     headers=streamer.auth)
    assert earned.status_code == 200, earned.text
    [day] = earned.json()["data"]
    # 1000 less the processor's 2.9 % + 30 (59) and the platform's 5 % (50)
    assert (day["source"], day["currency"], day["amount"]) == ("donation", "USD", 891)
    owed = api.get(f"/api/v1/channels/{streamer.username}/payout-balance",
                   headers=streamer.auth)
    assert owed.json()["data"] == [{"currency": "USD", "amount": 891}]
    others = api.get(f"/api/v1/channels/{streamer.username}/earnings", headers=fan.auth)
    assert others.status_code == 403


@pytest.mark.parametrize(("amount", "currency", "status", "error"), [
    (99, "USD", 422, "invalid_amount"), (1_000_001, "USD", 422, "invalid_amount"),
    (500, "JPY", 422, "unsupported_currency"), (0, "USD", 422, "invalid_field"),
    (-500, "USD", 422, "invalid_field"), (500, "usd", 422, "invalid_field")])
def test_donations_outside_the_limits_are_refused(
        platform: RunningPlatform, api: httpx.Client, amount: int, currency: str, status: int,
        error: str) -> None:
    streamer, fan = with_channel(api, "limits"), signed_in(api, "donor")
    same = key()
    refused = donate(api, fan, streamer.username, amount, same, currency=currency)
    assert (refused.status_code, refused.json()["error"]) == (status, error), refused.text
    assert charges_for(platform.settings, fan, "donation", same) == []


def test_donation_messages_are_held_to_the_chat_rules(platform: RunningPlatform,
                                                      api: httpx.Client) -> None:
    streamer, fan = with_channel(api, "rules"), signed_in(api, "donor")
    terms = api.put(f"/api/v1/channels/{streamer.username}/chat/blocked-terms",
                    json={"terms": ["scam"]}, headers=streamer.auth)
    assert terms.status_code == 200, terms.text
    same = key()
    blocked = donate(api, fan, streamer.username, 500, same, "free SCAM here")
    assert (blocked.status_code, blocked.json()["error"]) == (422, "blocked_term")
    assert charges_for(platform.settings, fan, "donation", same) == []
    to_self = donate(api, streamer, streamer.username, 500, key())
    assert (to_self.status_code, to_self.json()["error"]) == (422, "invalid_donation")
    declined = donate(api, fan, streamer.username, 500, key(), card=DECLINED_CARD)
    assert declined.status_code == 402
    missing = donate(api, fan, "no_such_channel_here", 500, key())
    assert missing.status_code == 404
    owed = api.get(f"/api/v1/channels/{streamer.username}/payout-balance",
                   headers=streamer.auth)
    assert owed.json()["data"] == []
