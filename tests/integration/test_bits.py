"""Buying bits through HTTP: charged once per Idempotency-Key, declines and transient failures
recorded as nothing, bad input refused."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from config.settings import Settings
from tests.integration.money import (
    DECLINED_CARD,
    FLAKY_CARD,
    GOOD_CARD,
    balance,
    buy,
    charges_for,
    key,
    ledger_rows,
    user_id,
)
from tests.integration.oauth_helpers import signed_in
from tests.running import RunningPlatform


def test_a_purchase_is_charged_once_however_often_it_is_retried(
        platform: RunningPlatform, api: httpx.Client) -> None:
    buyer, same = signed_in(api, "buyer"), key()
    first = buy(api, buyer, 500, same)
    assert first.status_code == 201, first.text
    assert first.json()["data"] == {"bits": 500, "price": {"amount": 700, "currency": "USD"}}
    retried = buy(api, buyer, 500, same)
    assert retried.status_code == 201, retried.text
    assert (retried.json()["event_id"], retried.json()["position"]) == (
        first.json()["event_id"], first.json()["position"])
    assert balance(api, buyer, first.json()["position"]) == 500
    [charge] = charges_for(platform.settings, buyer, "bits-purchase", same)
    assert (charge["amount"], charge["decline"]) == (700, None)
    another = buy(api, buyer, 100, key())
    assert balance(api, buyer, another.json()["position"]) == 600


def test_concurrent_duplicate_requests_are_charged_once(platform: RunningPlatform,
                                                       api: httpx.Client) -> None:
    buyer, same = signed_in(api, "twice"), key()
    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda _: buy(api, buyer, 100, same), range(6)))
    assert [r.status_code for r in responses] == [201] * 6, [r.text for r in responses]
    assert len({r.json()["event_id"] for r in responses}) == 1
    assert balance(api, buyer, responses[0].json()["position"]) == 100
    assert len(charges_for(platform.settings, buyer, "bits-purchase", same)) == 1


def test_a_declined_card_is_402_and_records_nothing(platform: RunningPlatform,
                                                   api: httpx.Client) -> None:
    buyer, same = signed_in(api, "declined"), key()
    declined = buy(api, buyer, 100, same, DECLINED_CARD)
    assert declined.status_code == 402, declined.text
    assert declined.json() == {"error": "card_declined", "message": "the card was declined",
                               "field": "card_number"}
    assert buy(api, buyer, 100, same, DECLINED_CARD).status_code == 402
    assert balance(api, buyer) == 0
    viewer = f"viewer:{user_id(platform.settings, buyer)}"
    assert ledger_rows(platform.settings, "SELECT 1 FROM ledger_entries WHERE account = %s",
                       viewer) == []


def test_a_transient_failure_records_nothing_and_the_same_key_may_try_again(
        platform: RunningPlatform, api: httpx.Client) -> None:
    buyer, same = signed_in(api, "flaky"), key()
    failed = buy(api, buyer, 100, same, FLAKY_CARD)
    assert failed.status_code == 503, failed.text
    assert failed.json()["error"] == "payment_unavailable"
    assert charges_for(platform.settings, buyer, "bits-purchase", same) == []
    assert balance(api, buyer) == 0
    again = buy(api, buyer, 100, same, GOOD_CARD)
    assert again.status_code == 201, again.text
    assert balance(api, buyer, again.json()["position"]) == 100
    assert len(charges_for(platform.settings, buyer, "bits-purchase", same)) == 1


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"pack": 123, "card_number": GOOD_CARD}, 422, "unknown_pack"),
    ({"pack": 0, "card_number": GOOD_CARD}, 422, "invalid_field"),
    ({"pack": -100, "card_number": GOOD_CARD}, 422, "invalid_field"),
    ({"pack": "100", "card_number": GOOD_CARD}, 422, "invalid_field"),
    ({"pack": 100, "card_number": "4111111111111111"}, 422, "invalid_card"),
    ({"pack": 100}, 422, "missing_field"),
])
def test_bad_purchases_are_refused(api: httpx.Client, settings: Settings,
                                   body: dict[str, object], status: int, error: str) -> None:
    buyer = signed_in(api, "bad")
    response = api.post("/api/v1/bits/purchases", json=body,
                        headers={**buyer.auth, "Idempotency-Key": key()})
    assert (response.status_code, response.json()["error"]) == (status, error), response.text
    assert balance(api, buyer) == 0


def test_a_purchase_needs_a_key_and_a_user(platform: RunningPlatform, api: httpx.Client) -> None:
    buyer = signed_in(api, "nokey")
    missing = buy(api, buyer, 100, None)
    assert (missing.status_code, missing.json()["error"]) == (400, "missing_idempotency_key")
    anonymous = api.post("/api/v1/bits/purchases", json={"pack": 100, "card_number": GOOD_CARD},
                         headers={"Idempotency-Key": key()})
    assert anonymous.status_code == 401
    packs = api.get("/api/v1/bits/packs").json()["data"]
    assert packs[0] == {"pack": 100, "bits": 100, "price": {"amount": 140, "currency": "USD"}}
