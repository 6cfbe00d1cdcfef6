"""Randomized money traffic (bits purchases, cheers, donations, subscriptions, gifts) whose
clients retry with their keys, reuse a key for another request (refused 422
idempotency_key_reused) and replay keys long after (the same answer), while the worker is
SIGKILLed as the wallet and subscription deciders decide a batch. Afterwards the ledger
balances, every card charge has exactly one effect in it, every acknowledged purchase and
cheer moved the bits once, and ClickHouse revenue equals the ledger per channel and source."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import psycopg
from websockets.sync.client import ClientConnection

from events.monetization import MONETIZATION_TOPIC
from tests.e2e.counted_once import clickhouse, clickhouse_revenue, ledger_entries, revenue_of
from tests.e2e.decider_window import decider_state, kill_in_the_window
from tests.e2e.log_reading import read_log
from tests.e2e.test_channel_chaos import verdict
from tests.e2e.test_decider_crash import database_time, sent_until_decided
from tests.integration.money import (
    DECLINED_CARD,
    GOOD_CARD,
    balance,
    key,
    user_id,
    with_channel,
)
from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.test_chat import join
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until

STEPS = 150  # at most, per payer
PAYERS = 3
BETWEEN_KILLS = 30  # requests answered
REPLAYED = 30
PACKS = (100, 500)
SETTLE_S = 90
Send = Callable[[], httpx.Response]


@dataclass(frozen=True)
class Answered:
    """A request sent with an Idempotency-Key, and what it was answered."""

    what: str
    send: Send
    status: int
    body: Any


@dataclass
class Shared:
    """What every payer's traffic adds to, and the signal to stop."""

    answered: list[Answered] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)


@dataclass
class Payer:
    """One viewer's traffic, in a thread of its own."""

    api: httpx.Client
    account: Account
    others: list[Account]  # whom a gift goes to
    sockets: dict[str, ClientConnection]  # by channel
    shared: Shared
    rng: random.Random
    bits: int = 0  # as acknowledged
    sure: bool = True  # no cheer of theirs went unanswered

    def run(self) -> None:
        actions = (self.purchase, self.purchase, self.cheer, self.donation, self.subscription,
                   self.gift)
        for _ in range(STEPS):
            if self.shared.stopping.is_set():
                return
            self.rng.choice(actions)(self.rng.choice(sorted(self.sockets)))

    def purchase(self, _: str) -> None:
        pack, card = self.rng.choice(PACKS), self.rng.choice([GOOD_CARD] * 4 + [DECLINED_CARD])
        answer = self.keyed("purchase", {201, 402}, "/api/v1/bits/purchases",
                            {"pack": pack, "card_number": card},
                            {"pack": PACKS[1 - PACKS.index(pack)], "card_number": card})
        if answer is not None and answer.status == 201:
            self.bits += pack

    def cheer(self, channel: str) -> None:
        bits = self.rng.randint(1, 60)
        frame = verdict(self.sockets[channel], f"cheer{bits} money", key())
        if frame["type"] == "ack":
            self.bits -= bits
        elif frame.get("reason") == "decider_timeout":
            self.sure = False  # it may still be decided
        elif frame.get("reason") != "insufficient_bits":
            self.shared.failures.append(f"cheer: {frame}")

    def donation(self, channel: str) -> None:
        amount, currency = self.rng.randint(100, 3000), self.rng.choice(["USD", "EUR"])
        body = {"amount": amount, "currency": currency, "message": "gg", "card_number": GOOD_CARD}
        self.keyed("donation", {201}, f"/api/v1/channels/{channel}/donations", body,
                   {**body, "amount": amount + 1})

    def subscription(self, channel: str) -> None:
        body = {"tier": self.rng.choice([1000, 2000]),
                "card_number": self.rng.choice([GOOD_CARD] * 3 + [DECLINED_CARD])}
        other = next(c for c in sorted(self.sockets) if c != channel)
        self.keyed("subscription", {201, 402, 409}, f"/api/v1/channels/{channel}/subscriptions",
                   body, body, f"/api/v1/channels/{other}/subscriptions")

    def gift(self, channel: str) -> None:
        body = {"tier": 1000, "card_number": GOOD_CARD,
                "recipient": self.rng.choice(self.others).username}
        self.keyed("gift", {201, 409}, f"/api/v1/channels/{channel}/subscriptions/gifts",
                   body, {**body, "tier": 2000})

    def keyed(self, what: str, expected: set[int], path: str, body: dict[str, Any],
              other_body: dict[str, Any], other_path: str | None = None) -> Answered | None:
        """Send with a fresh key; sometimes again (the same answer), sometimes the key with
        another request (refused)."""
        headers = {**self.account.auth, "Idempotency-Key": key()}

        def send() -> httpx.Response:
            return sent_until_decided(self.api, lambda: self.api.post(
                path, json=body, headers=headers))

        first = send()
        answer = Answered(what, send, first.status_code, first.json())
        if first.status_code not in expected:
            self.shared.failures.append(f"{what}: {first.status_code} {first.text}")
            return None
        self.shared.answered.append(answer)
        if self.rng.random() < 0.3:
            same_again(answer, self.shared.failures)
        if self.rng.random() < 0.2:
            reused = sent_until_decided(self.api, lambda: self.api.post(
                other_path or path, json=other_body, headers=headers))
            if (reused.status_code, reused.json().get("error")) != (
                    422, "idempotency_key_reused"):
                self.shared.failures.append(f"{what} reused: {reused.status_code} "
                                            f"{reused.text}")
        return answer


def same_again(answer: Answered, failures: list[str]) -> None:
    again = answer.send()
    if (again.status_code, again.json()) != (answer.status, answer.body):
        failures.append(f"{answer.what} again: {again.status_code} {again.text} "
                        f"after {answer.status} {answer.body}")


def ledger_totals(platform: RunningPlatform) -> list[tuple[Any, ...]]:
    """Currencies, and transactions, whose entries do not sum to zero."""
    with psycopg.connect(platform.settings.postgres, autocommit=True) as conn:
        by_currency = conn.execute("SELECT currency, sum(amount_minor) FROM ledger_entries "
                                   "GROUP BY currency HAVING sum(amount_minor) <> 0").fetchall()
        by_event = conn.execute("SELECT event_id, currency FROM ledger_entries GROUP BY "
                                "event_id, currency HAVING sum(amount_minor) <> 0").fetchall()
    return by_currency + by_event


def effects_of_charges(platform: RunningPlatform, since: datetime, until_: datetime
                       ) -> dict[str, tuple[int, list[int]]]:
    """Each card charge made in the window, with its amount and the card debits of the
    ledger's transactions whose events name it: one, of that amount, when it has one effect."""
    settings = platform.settings
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        charges: dict[str, int] = dict(conn.execute(
            "SELECT charge_id, amount_minor FROM sandbox_charges WHERE charge_id IS NOT NULL "
            "AND created_at BETWEEN %s AND %s", (since, until_)).fetchall())
        debits: dict[str, int] = dict(conn.execute(
            "SELECT event_id::text, -amount_minor FROM ledger_entries WHERE account = "
            "'external:cards' AND amount_minor < 0").fetchall())
    events_of: dict[str, set[str]] = {charge: set() for charge in charges}
    for event in read_log(settings, (MONETIZATION_TOPIC,)).distinct():
        charge = getattr(event, "charge_id", None)
        if charge in events_of:
            events_of[charge].add(str(event.event_id))
    return {charge: (amount, sorted(debits.get(e, 0) for e in events_of[charge]))
            for charge, amount in charges.items()}


def revenue_differences(platform: RunningPlatform, channels: list[str]) -> dict[str, Any]:
    client = clickhouse(platform.settings)
    try:
        found = clickhouse_revenue(client, channels)
    finally:
        client.disconnect()
    expected = revenue_of(ledger_entries(platform.settings, channels))
    return {} if found == expected else {"ledger": expected, "clickhouse": found}


def test_money_traffic_with_reused_keys_and_killed_deciders_leaves_a_true_ledger(
        platform: RunningPlatform, api: httpx.Client) -> None:
    channels = [with_channel(api, "chaosearner").username for _ in range(2)]
    accounts = [signed_in(api, "chaospayer") for _ in range(PAYERS)]
    shared, started = Shared(), database_time(platform)
    with ExitStack() as stack:
        payers = [Payer(api, account, [a for a in accounts if a != account], {
            c: stack.enter_context(join(platform.base_url, c, account)) for c in channels},
            shared, random.Random(17 + n)) for n, account in enumerate(accounts)]
        threads = [threading.Thread(target=p.run, name=f"payer{n}")
                   for n, p in enumerate(payers)]
        for thread in threads:
            thread.start()
        try:
            for feed, state in killed(platform, payers, channels):
                progress(shared)
                kill_in_the_window(platform, feed, state)
            progress(shared)
        finally:
            shared.stopping.set()
            for thread in threads:
                thread.join(CLIENT_TIMEOUT_S * 3)
    assert not any(thread.is_alive() for thread in threads)
    ended = database_time(platform)
    for answer in random.Random(17).sample(shared.answered, min(REPLAYED, len(shared.answered))):
        same_again(answer, shared.failures)  # replayed long after, across the restarts
    assert shared.failures == []
    assert {a.what for a in shared.answered if a.status == 201} == {
        "purchase", "donation", "subscription", "gift"}
    each_acknowledged_once(api, [p for p in payers if p.sure])
    effects = until(lambda: effects_of_charges(platform, started, ended),
                    lambda found: all(debits == [amount] for amount, debits in found.values()),
                    SETTLE_S, "every charge to have exactly one effect in the ledger")
    assert effects
    assert ledger_totals(platform) == []
    assert until(lambda: revenue_differences(platform, channels), lambda d: d == {}, SETTLE_S,
                 "ClickHouse revenue to equal the ledger per channel and source") == {}


def each_acknowledged_once(api: httpx.Client, payers: list[Payer]) -> None:
    """Bits balances: every acknowledged purchase and cheer, each once."""
    assert payers
    expected = {p.account.username: p.bits for p in payers}
    found = until(lambda: {p.account.username: balance(api, p.account) for p in payers},
                  lambda balances: balances == expected, SETTLE_S,
                  "each acknowledged purchase and cheer to move bits once")
    assert found == expected


def killed(platform: RunningPlatform, payers: list[Payer], channels: list[str]
           ) -> list[tuple[str, tuple[str, tuple[object, ...]]]]:
    """Where the worker is SIGKILLed: as the wallet decider writes a payer's wallet, as the
    subscription decider writes a channel's subscriptions, as the wallet decider again."""
    wallets = [user_id(platform.settings, p.account) for p in payers]
    return [("wallet_decider", decider_state("wallets", wallets[0])),
            ("subscription_decider", decider_state("subscriptions", channels[0])),
            ("wallet_decider", decider_state("wallets", wallets[1]))]


def progress(shared: Shared) -> None:
    beyond = len(shared.answered) + BETWEEN_KILLS
    until(lambda: len(shared.answered), lambda n: n >= beyond, 120,
          "the money traffic to be answered again", interval_s=0.05)
