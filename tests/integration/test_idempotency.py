"""An Idempotency-Key names one request of its caller: reused for another request it is refused;
sent again, however late, it is answered as before and has no second effect."""

from __future__ import annotations

import httpx

from processors.deciders.decisions import RECENT_COMMANDS_KEPT
from tests.integration.money import (
    GOOD_CARD,
    balance,
    balance_becomes,
    buy,
    charges_for,
    key,
    with_channel,
)
from tests.integration.oauth_helpers import PASSWORD
from tests.integration.subscribing import mine, subscribe
from tests.running import RunningPlatform


def reused(response: httpx.Response) -> bool:
    return (response.status_code, response.json()["error"]) == (422, "idempotency_key_reused")


def test_one_key_cannot_buy_two_subscriptions(platform: RunningPlatform,
                                              api: httpx.Client) -> None:
    first, second = with_channel(api, "idemb"), with_channel(api, "idemc")
    buyer, chosen = with_channel(api, "idembuyer"), key()
    subscribed = subscribe(api, buyer, first.username, idempotency_key=chosen)
    assert subscribed.status_code == 201, subscribed.text
    assert reused(subscribe(api, buyer, second.username, idempotency_key=chosen))
    again = subscribe(api, buyer, first.username, idempotency_key=chosen)
    assert again.json()["event_id"] == subscribed.json()["event_id"]
    assert [s["channel"] for s in mine(api, buyer, subscribed.json()["position"])] == [
        first.username]
    assert len(charges_for(platform.settings, buyer, "subscription", chosen)) == 1


def test_one_key_cannot_buy_another_pack(platform: RunningPlatform, api: httpx.Client) -> None:
    buyer, chosen = with_channel(api, "idempack"), key()
    bought = buy(api, buyer, 100, chosen)
    assert bought.status_code == 201, bought.text
    assert reused(buy(api, buyer, 500, chosen))
    assert balance(api, buyer, bought.json()["position"]) == 100


def test_a_key_sent_again_long_after_is_answered_as_before(platform: RunningPlatform,
                                                           api: httpx.Client) -> None:
    """Later purchases push the first out of the wallet's window of recent outcomes: the
    decider still knows it (it keeps every outcome), so nothing is credited again."""
    buyer, first_key = with_channel(api, "idemlate"), key()
    first = buy(api, buyer, 100, first_key)
    assert first.status_code == 201, first.text
    for _ in range(RECENT_COMMANDS_KEPT + 1):
        assert buy(api, buyer, 100, key()).status_code == 201
    later = 100 * (RECENT_COMMANDS_KEPT + 2)
    balance_becomes(api, buyer, later)
    again = buy(api, buyer, 100, first_key)
    assert again.status_code == 201, again.text
    assert (again.json()["event_id"], again.json()["position"]) == (
        first.json()["event_id"], first.json()["position"])
    probe = buy(api, buyer, 100, key())
    assert balance(api, buyer, probe.json()["position"]) == later + 100


def test_a_registration_key_names_one_registration(api: httpx.Client) -> None:
    chosen = key()
    username = f"idem_{chosen[:12]}"

    def register(name: str) -> httpx.Response:
        return api.post("/api/v1/users", json={
            "username": name, "email": f"{name}@example.com", "password": PASSWORD},
            headers={"Idempotency-Key": chosen})

    created = register(username)
    assert created.status_code == 201, created.text
    assert register(username).json()["event_id"] == created.json()["event_id"]
    assert reused(register(f"{username}x"))


def test_a_key_is_short_printable_ascii(api: httpx.Client) -> None:
    buyer = with_channel(api, "idemkey")
    for bad_key in ("é".encode("latin-1"), b"k" * 201):
        bad = api.post("/api/v1/bits/purchases", json={"pack": 100, "card_number": GOOD_CARD},
                       headers=[*((k.encode(), v.encode()) for k, v in buyer.auth.items()),
                                (b"Idempotency-Key", bad_key)])
        assert (bad.status_code, bad.json()["error"]) == (400, "invalid_idempotency_key")
