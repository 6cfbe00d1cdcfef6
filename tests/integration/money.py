"""Paying through the public API, and reading what the sandbox processor and the ledger hold."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import psycopg

from config.settings import Settings
from gateways.idempotency import command_id_for
from tests.integration.oauth_helpers import Account, signed_in
from tests.waiting import until

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
FLAKY_CARD = "4000000000000119"


def key() -> str:
    return uuid4().hex


def with_channel(api: httpx.Client, prefix: str) -> Account:
    account = signed_in(api, prefix)
    until(lambda: api.get(f"/api/v1/channels/{account.username}").status_code,
          lambda status: status == 200, 20, "the channel")
    return account


def buy(api: httpx.Client, account: Account, pack: int, idempotency_key: str | None,
        card: str = GOOD_CARD) -> httpx.Response:
    headers = {**account.auth, **({"Idempotency-Key": idempotency_key}
                                  if idempotency_key else {})}
    return api.post("/api/v1/bits/purchases", json={"pack": pack, "card_number": card},
                    headers=headers)


def donate(api: httpx.Client, account: Account, channel: str, amount: int,
           idempotency_key: str, message: str = "gg", currency: str = "USD",
           card: str = GOOD_CARD) -> httpx.Response:
    return api.post(f"/api/v1/channels/{channel}/donations", json={
        "amount": amount, "currency": currency, "message": message, "card_number": card},
        headers={**account.auth, "Idempotency-Key": idempotency_key})


def balance(api: httpx.Client, account: Account, position: str | None = None) -> int:
    params = {"min_position": position} if position else {}
    response = api.get("/api/v1/users/me/bits", params=params, headers=account.auth)
    assert response.status_code == 200, response.text
    bits: int = response.json()["data"]["balance"]
    return bits


def bought(api: httpx.Client, account: Account, pack: int) -> int:
    """Buy a pack and wait until the balance shows it; return the balance."""
    response = buy(api, account, pack, key())
    assert response.status_code == 201, response.text
    return balance(api, account, response.json()["position"])


def balance_becomes(api: httpx.Client, account: Account, expected: int) -> None:
    until(lambda: balance(api, account), lambda bits: bits == expected, 20,
          f"{account.username}'s balance to be {expected}")


def user_id(settings: Settings, account: Account) -> str:
    [(found,)] = ledger_rows(settings, "SELECT user_id FROM users WHERE username = %s",
                             account.username)
    return str(found)


def charges_for(settings: Settings, account: Account, route: str,
                *keys: str) -> list[dict[str, Any]]:
    """What the sandbox processor recorded for these Idempotency-Keys of the account's."""
    owner = user_id(settings, account)
    ids = [str(command_id_for(f"{route}:{owner}", k)) for k in keys]
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT idempotency_key, charge_id, amount_minor, decline_code "
            "FROM sandbox_charges WHERE idempotency_key = ANY(%s)", (ids,)).fetchall()
    return [dict(zip(("key", "charge_id", "amount", "decline"), r, strict=True)) for r in rows]


def ledger_rows(settings: Settings, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        return conn.execute(sql.encode(), params).fetchall()
