"""The ledger after randomized mixed traffic (purchases, declines, retries, cheers,
donations, subscriptions, gifts and a month of renewals), with the projectors SIGKILLed while
purchases are projected: every transaction sums to zero, money in equals money out plus
balances, and every balance is what the traffic made it."""

from __future__ import annotations

import random
import signal
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from castline.processes import castline_command, kill, spawn, stop
from config.settings import Settings
from tests.integration.money import (
    DECLINED_CARD,
    GOOD_CARD,
    balance_becomes,
    buy,
    charges_for,
    donate,
    key,
    ledger_rows,
    user_id,
    with_channel,
)
from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.subscribing import gift, set_clock, subscribe
from tests.integration.test_chat import join
from tests.integration.test_cheers import say
from tests.running import RunningPlatform
from tests.waiting import until

PACKS = (100, 500)


@dataclass
class Tally:
    """What the traffic should have left: bits per viewer, earnings per channel and currency."""

    bits: Counter[str] = field(default_factory=Counter)
    earned: Counter[tuple[str, str]] = field(default_factory=Counter)
    renewing: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel, user): tier
    subscription_charges: int = 0


def donation_share(amount: int) -> int:
    fee = amount * 290 // 10_000 + 30
    return amount - fee - min(amount * 500 // 10_000, amount - fee)


def subscription_share(settings: Settings, tier: int) -> int:
    price = settings.subscription_prices[tier]
    fee = price * 290 // 10_000 + 30
    return min(price * settings.subscription_creator_share_bps[tier] // 10_000, price - fee)


def subscription_action(rng: random.Random, api: httpx.Client, settings: Settings,
                        viewers: list[Account], streamer: Account, tally: Tally) -> None:
    """Subscribe (sometimes declined), or gift one to another viewer; 409 when subscribed."""
    viewer, tier = rng.choice(viewers), rng.choice(sorted(settings.subscription_prices))
    if rng.random() < 0.6:
        card = rng.choice([GOOD_CARD] * 3 + [DECLINED_CARD])
        status = subscribe(api, viewer, streamer.username, tier, card).status_code
        if status == 201:
            tally.renewing[(streamer.username, viewer.username)] = tier
    else:
        recipient = rng.choice([v for v in viewers if v != viewer])
        status = gift(api, viewer, streamer.username, tier,
                      recipient=recipient.username).status_code
    assert status in (201, 402, 409), status
    if status == 201:
        tally.earned[(streamer.username, "USD")] += subscription_share(settings, tier)
        tally.subscription_charges += 1


def a_month_of_renewals(api: httpx.Client, settings: Settings, streamers: list[Account],
                        tally: Tally) -> None:
    """Every paid subscription renews once; gifts end."""
    for streamer in streamers:
        set_clock(settings, streamer.username, datetime.now(UTC) + timedelta(days=32))
    for (channel, _), tier in tally.renewing.items():
        tally.earned[(channel, "USD")] += subscription_share(settings, tier)
    tally.subscription_charges += len(tally.renewing)
    channels = [s.username for s in streamers]
    until(lambda: subscription_transactions(settings, channels),
          lambda n: n == tally.subscription_charges, 60, "the renewals")


def subscription_transactions(settings: Settings, channels: list[str]) -> int:
    [(count,)] = ledger_rows(settings, "SELECT count(*) FROM ledger_entries WHERE source IN "
                             "('subscription', 'gift') AND account = 'external:cards' "
                             "AND channel = ANY(%s)", channels)
    return int(count)


def random_action(rng: random.Random, api: httpx.Client, base: str, viewer: Account,
                  streamer: Account, tally: Tally) -> None:
    roll = rng.random()
    if roll < 0.4:
        pack, card, same = rng.choice(PACKS), rng.choice([GOOD_CARD] * 4 + [DECLINED_CARD]), key()
        attempts = rng.randint(1, 2)  # a client retrying with the same key
        statuses = {buy(api, viewer, pack, same, card).status_code for _ in range(attempts)}
        assert statuses in ({201}, {402}), statuses
        tally.bits[viewer.username] += pack if statuses == {201} else 0
    elif roll < 0.7:
        bits = rng.randint(1, 150)
        with join(base, streamer.username, viewer) as ws:
            verdict = say(ws, f"cheer{bits} go go")
        assert verdict["type"] == "ack" or verdict["reason"] == "insufficient_bits", verdict
        if verdict["type"] == "ack":
            tally.bits[viewer.username] -= bits
            tally.earned[(streamer.username, "USD")] += bits
    else:
        amount, currency = rng.randint(100, 5000), rng.choice(["USD", "EUR"])
        made = donate(api, viewer, streamer.username, amount, key(), "gl hf", currency)
        assert made.status_code == 201, made.text
        tally.earned[(streamer.username, currency)] += donation_share(amount)


def ledger_rows_of(settings: Settings, viewers: list[Account]) -> int:
    accounts = [f"viewer:{user_id(settings, v)}" for v in viewers]
    [(count,)] = ledger_rows(settings, "SELECT count(*) FROM ledger_entries "
                             "WHERE account = ANY(%s)", accounts)
    return int(count)


def purchases_across_a_projector_crash(platform: RunningPlatform, viewers: list[Account],
                                       tally: Tally) -> None:
    """Purchases projected while the projectors are SIGKILLed, then retried with their keys.

    The projectors run in a process of their own here: a SIGKILLed Faust member stays in the
    local broker's group (it never evicts it), which would hold the deciders."""
    settings, logs = platform.settings, platform.logs
    platform.stop_worker()
    deciders = spawn(castline_command("worker", "--role", "deciders"), logs / "money-deciders.log")
    projectors = spawn(castline_command("worker", "--role", "projectors"),
                       logs / "money-projectors.log", {"CASTLINE_PROJECTION_BATCH_SIZE": "1"})
    try:
        platform.wait_serving()
        before = ledger_rows_of(settings, viewers)
        orders = [(viewer, key()) for viewer in viewers for _ in range(3)]
        with httpx.Client(base_url=platform.base_url, timeout=90) as api, \
                ThreadPoolExecutor(len(orders)) as pool:
            pending = [pool.submit(buy, api, viewer, 100, same) for viewer, same in orders]
            until(lambda: ledger_rows_of(settings, viewers), lambda n: n > before, 60,
                  "the ledger to project a purchase")
            kill(projectors)
            projectors = spawn(castline_command("worker", "--role", "projectors"),
                               logs / "money-projectors.log")
            assert all(f.result().status_code == 201 for f in pending)
            for viewer, same in orders:
                retried = buy(api, viewer, 100, same)
                assert retried.status_code == 201, retried.text
                assert len(charges_for(settings, viewer, "bits-purchase", same)) == 1
                tally.bits[viewer.username] += 100
    finally:
        stop(projectors, signal.SIGINT)
        stop(deciders, signal.SIGINT)
        platform.start_worker()
        platform.wait_serving()


def account_totals(settings: Settings) -> dict[str, int]:
    rows = ledger_rows(settings, "SELECT account, currency, sum(amount_minor) FROM "
                       "ledger_entries GROUP BY account, currency")
    return {f"{account}/{currency}": int(total) for account, currency, total in rows}


def money_in_out_and_balances(settings: Settings) -> tuple[int, int, int]:
    totals = account_totals(settings)
    money_in = -sum(v for k, v in totals.items() if k.startswith("external:cards/"))
    money_out = sum(v for k, v in totals.items() if k.startswith("processor/"))
    held = sum(v for k, v in totals.items() if k.split(":")[0].split("/")[0] in (
        "viewer", "creator", "platform"))
    return money_in, money_out, held


def charged_in_total(settings: Settings) -> int:
    [(total,)] = ledger_rows(settings, "SELECT coalesce(sum(amount_minor), 0) FROM "
                             "sandbox_charges WHERE charge_id IS NOT NULL")
    return int(total)


def test_the_ledger_balances_after_mixed_traffic_and_a_crash(platform: RunningPlatform,
                                                            api: httpx.Client) -> None:
    rng, tally = random.Random(2026), Tally()
    streamers = [with_channel(api, "earner") for _ in range(2)]
    viewers = [signed_in(api, "payer") for _ in range(3)]
    for _ in range(25):
        random_action(rng, api, platform.base_url, rng.choice(viewers), rng.choice(streamers),
                      tally)
        subscription_action(rng, api, platform.settings, viewers, rng.choice(streamers), tally)
    purchases_across_a_projector_crash(platform, viewers, tally)
    settings = platform.settings
    for _ in range(15):
        random_action(rng, api, platform.base_url, rng.choice(viewers), rng.choice(streamers),
                      tally)
        subscription_action(rng, api, settings, viewers, rng.choice(streamers), tally)
    a_month_of_renewals(api, settings, streamers, tally)
    for viewer in viewers:
        balance_becomes(api, viewer, tally.bits[viewer.username])
    until(lambda: money_in_out_and_balances(settings)[0], lambda n: n == charged_in_total(
        settings), 30, "money in to be every charge the processor made")
    money_in, money_out, held = money_in_out_and_balances(settings)
    advertisers = -account_totals(settings).get("external:advertisers/USD", 0)
    assert money_in + advertisers == money_out + held
    assert ledger_rows(settings, "SELECT event_id FROM ledger_entries GROUP BY event_id, "
                       "currency HAVING sum(amount_minor) <> 0") == []
    totals = account_totals(settings)
    for viewer in viewers:
        assert totals.get(f"viewer:{user_id(settings, viewer)}/USD", 0) == tally.bits[
            viewer.username]
    for (channel, currency), amount in tally.earned.items():
        assert totals.get(f"creator:{channel}/{currency}") == amount, (channel, currency)
