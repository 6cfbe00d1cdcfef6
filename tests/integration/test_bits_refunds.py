"""Refunding bits purchases through HTTP: an admin's refund goes back to the card once per
purchase, takes the bits back and keeps the ledger balanced; spent bits are never refunded."""

from __future__ import annotations

from uuid import uuid4

import httpx
import pytest

from tests.integration.money import (
    balance,
    balance_becomes,
    buy,
    key,
    ledger_rows,
    user_id,
    with_channel,
)
from tests.integration.oauth_helpers import Account, admin_signed_in, signed_in
from tests.integration.test_chat import join
from tests.integration.test_cheers import say
from tests.running import RunningPlatform


@pytest.fixture
def admin(platform: RunningPlatform, api: httpx.Client) -> Account:
    return admin_signed_in(api, platform.settings, "refunder")


def purchase(api: httpx.Client, buyer: Account, pack: int) -> str:
    """Buy a pack; its event id once the balance includes it."""
    bought = buy(api, buyer, pack, key())
    assert bought.status_code == 201, bought.text
    balance(api, buyer, bought.json()["position"])
    event_id: str = bought.json()["event_id"]
    return event_id


def refund(api: httpx.Client, caller: Account, purchase_id: str,
           idempotency_key: str | None) -> httpx.Response:
    headers = {**caller.auth, **({"Idempotency-Key": idempotency_key} if idempotency_key
                                 else {})}
    return api.post(f"/api/v1/bits/purchases/{purchase_id}/refund", headers=headers)


def test_a_refund_returns_the_price_to_the_card_once_and_takes_the_bits_back(
        platform: RunningPlatform, api: httpx.Client, admin: Account) -> None:
    buyer, same = signed_in(api, "refunded"), key()
    kept, refunded = purchase(api, buyer, 100), purchase(api, buyer, 500)
    first = refund(api, admin, refunded, same)
    assert first.status_code == 201, first.text
    assert first.json()["data"] == {"purchase_id": refunded, "bits": 500}
    retried = refund(api, admin, refunded, same)
    assert retried.json()["event_id"] == first.json()["event_id"], retried.text
    assert balance(api, buyer, first.json()["position"]) == 100
    again = refund(api, admin, refunded, key())
    assert (again.status_code, again.json()["error"]) == (409, "already_refunded")
    refunds = ledger_rows(platform.settings, "SELECT r.amount_minor, c.amount_minor FROM "
                          "sandbox_refunds r JOIN sandbox_charges c USING (charge_id) "
                          "WHERE r.idempotency_key = %s", f"refund:{refunded}")
    assert refunds == [(700, 700)]
    entries = dict(ledger_rows(platform.settings, "SELECT account, amount_minor FROM "
                               "ledger_entries WHERE event_id = %s", first.json()["event_id"]))
    viewer = f"viewer:{user_id(platform.settings, buyer)}"
    assert entries == {"external:cards": 700, viewer: -500, "platform": -200}
    assert refund(api, admin, kept, key()).status_code == 201


def test_the_ledger_stays_balanced_with_refunds(platform: RunningPlatform, api: httpx.Client,
                                               admin: Account) -> None:
    buyer = signed_in(api, "balanced")
    done = refund(api, admin, purchase(api, buyer, 500), key())
    assert done.status_code == 201, done.text
    balance(api, buyer, done.json()["position"])
    unbalanced = ledger_rows(platform.settings, "SELECT event_id, currency FROM ledger_entries "
                             "GROUP BY event_id, currency HAVING sum(amount_minor) <> 0")
    assert unbalanced == []
    [(money_in, money_out, balances)] = ledger_rows(platform.settings, """
        SELECT -coalesce(sum(amount_minor) FILTER (WHERE account LIKE 'external:%%'), 0),
               coalesce(sum(amount_minor) FILTER (WHERE account = 'processor'), 0),
               coalesce(sum(amount_minor) FILTER (WHERE account NOT LIKE 'external:%%'
                                                  AND account <> 'processor'), 0)
        FROM ledger_entries WHERE currency = 'USD'""")
    assert money_in == money_out + balances
    viewer = f"viewer:{user_id(platform.settings, buyer)}"
    assert ledger_rows(platform.settings, "SELECT sum(amount_minor) FROM ledger_entries "
                       "WHERE account = %s", viewer) == [(0,)]


def test_spent_bits_are_not_refunded(platform: RunningPlatform, api: httpx.Client,
                                     admin: Account) -> None:
    streamer, fan = with_channel(api, "refundcheer"), signed_in(api, "spender")
    bought = purchase(api, fan, 100)
    with join(platform.base_url, streamer.username, fan) as ws:
        assert say(ws, "cheer10 hype")["type"] == "ack"
    balance_becomes(api, fan, 90)
    spent = refund(api, admin, bought, key())
    assert (spent.status_code, spent.json()["error"]) == (409, "bits_spent"), spent.text
    assert balance(api, fan) == 90


def test_only_an_admin_refunds_a_known_purchase_with_a_key(
        platform: RunningPlatform, api: httpx.Client, admin: Account) -> None:
    buyer = signed_in(api, "notadmin")
    bought = purchase(api, buyer, 100)
    own = refund(api, buyer, bought, key())
    assert (own.status_code, own.json()["error"]) == (403, "forbidden")
    assert api.post(f"/api/v1/bits/purchases/{bought}/refund",
                    headers={"Idempotency-Key": key()}).status_code == 401
    missing = refund(api, admin, bought, None)
    assert (missing.status_code, missing.json()["error"]) == (400, "missing_idempotency_key")
    for unknown in (str(uuid4()), "not-a-purchase"):
        response = refund(api, admin, unknown, key())
        assert (response.status_code, response.json()["error"]) == (404, "purchase_not_found")
    assert balance(api, buyer) == 100
