"""Registrations, bits purchases and subscriptions flowing while the worker is SIGKILLed four
times (or stopped cleanly) and started again: every decider answers again within 30 s, and
every acknowledged command has exactly one effect."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import uuid4

import httpx
import psycopg
import pytest

from tests.integration.money import GOOD_CARD, balance, key, with_channel
from tests.integration.oauth_helpers import PASSWORD, Account, signed_in
from tests.integration.subscribing import mine
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until

RESTARTS = 4
RECOVERY_S = 30
PACK = 100


@dataclass
class Acknowledged:
    usernames: list[str] = field(default_factory=list)
    purchase_keys: list[str] = field(default_factory=list)
    subscribed: list[str] = field(default_factory=list)  # channels

    @property
    def total(self) -> int:
        return len(self.usernames) + len(self.purchase_keys) + len(self.subscribed)


def sent_until_decided(api: httpx.Client, send: Callable[[], httpx.Response],
                       timeout_s: float = 180) -> httpx.Response:
    """The same request (the same Idempotency-Key) again while the deciders cannot answer."""
    def attempt() -> httpx.Response | None:
        try:
            response = send()
        except httpx.TransportError:
            return None
        return None if response.status_code == 503 else response

    answered = until(attempt, lambda r: r is not None, timeout_s, "a decided answer",
                     interval_s=0.2)
    assert answered is not None
    return answered


@dataclass
class Traffic:
    """One client sending registrations, purchases and subscriptions in turn."""

    api: httpx.Client
    buyer: Account
    channels: list[str]
    acknowledged: Acknowledged = field(default_factory=Acknowledged)
    stopping: threading.Event = field(default_factory=threading.Event)
    failure: list[str] = field(default_factory=list)
    started: datetime | None = None  # the database's time, bounding the charges it made
    ended: datetime | None = None

    def run(self) -> None:
        step = 0
        while not self.stopping.is_set() and step < 3 * len(self.channels):
            kind = step % 3
            if kind == 0:
                self.register()
            elif kind == 1:
                self.purchase()
            else:
                self.subscribe(self.channels[step // 3])
            step += 1

    def register(self) -> None:
        username = f"crash_{uuid4().hex[:12]}"
        body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
        headers = {"Idempotency-Key": key()}
        self.expect(sent_until_decided(self.api, lambda: self.api.post(
            "/api/v1/users", json=body, headers=headers)), self.acknowledged.usernames, username)

    def purchase(self) -> None:
        chosen = key()
        headers = {**self.buyer.auth, "Idempotency-Key": chosen}
        self.expect(sent_until_decided(self.api, lambda: self.api.post(
            "/api/v1/bits/purchases", json={"pack": PACK, "card_number": GOOD_CARD},
            headers=headers)), self.acknowledged.purchase_keys, chosen)

    def subscribe(self, channel: str) -> None:
        headers = {**self.buyer.auth, "Idempotency-Key": key()}
        self.expect(sent_until_decided(self.api, lambda: self.api.post(
            f"/api/v1/channels/{channel}/subscriptions",
            json={"tier": 1000, "card_number": GOOD_CARD}, headers=headers)),
            self.acknowledged.subscribed, channel)

    def expect(self, response: httpx.Response, into: list[str], what: str) -> None:
        if response.status_code == 201:
            into.append(what)
        else:
            self.failure.append(f"{what}: {response.status_code} {response.text}")


@dataclass
class Flowing:
    traffic: Traffic
    checker: Account  # decides the recovery probe's purchase and subscription
    thread: threading.Thread

    def finish(self, platform: RunningPlatform) -> None:
        self.traffic.stopping.set()
        self.thread.join(240)
        assert not self.thread.is_alive(), "the traffic did not finish"
        assert self.traffic.failure == []
        self.traffic.ended = database_time(platform)


@pytest.fixture
def flowing(platform: RunningPlatform) -> Iterator[Flowing]:
    with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as api:
        buyer, checker = signed_in(api, "crashbuyer"), signed_in(api, "crashcheck")
        channels = [with_channel(api, "crashchan").username for _ in range(12)]
        traffic = Traffic(api, buyer, channels, started=database_time(platform))
        thread = threading.Thread(target=traffic.run, name="traffic")
        thread.start()
        running = Flowing(traffic, checker, thread)
        try:
            yield running
        finally:
            traffic.stopping.set()
            thread.join(240)


def progress(traffic: Traffic, beyond: int) -> None:
    until(lambda: traffic.acknowledged.total, lambda n: n > beyond, 180,
          "commands to be acknowledged again", interval_s=0.1)


def restart(platform: RunningPlatform, traffic: Traffic, stop: Callable[[], None]) -> None:
    for _ in range(RESTARTS):
        progress(traffic, traffic.acknowledged.total)
        stop()
        platform.start_worker()


def recovered_within(flowing: Flowing) -> float:
    """Seconds until a registration, a purchase and a subscription are each decided."""
    api = flowing.traffic.api
    channel = with_channel(api, "crashspare").username
    started = time.monotonic()
    checker = Traffic(api, flowing.checker, [channel])
    checker.register()
    checker.purchase()
    checker.subscribe(channel)
    assert checker.failure == []
    return time.monotonic() - started


def database_time(platform: RunningPlatform, query: str = "SELECT now()",
                  params: tuple[object, ...] = ()) -> Any:
    with psycopg.connect(platform.settings.postgres) as conn:
        row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def user_status(api: httpx.Client, username: str) -> int:
    return api.get(f"/api/v1/users/{username}").status_code


def assert_each_once(platform: RunningPlatform, traffic: Traffic, bits_before: int) -> None:
    api, done = traffic.api, traffic.acknowledged
    assert done.usernames
    assert done.purchase_keys
    assert done.subscribed
    for username in done.usernames:
        until(functools.partial(user_status, api, username), lambda status: status == 200, 60,
              f"user {username}")
    charged = database_time(platform, "SELECT count(*) FROM sandbox_charges WHERE "
                            "created_at BETWEEN %s AND %s", (traffic.started, traffic.ended))
    assert charged == len(done.purchase_keys) + len(done.subscribed)
    expected_bits = bits_before + PACK * len(done.purchase_keys)
    until(lambda: balance(api, traffic.buyer), lambda bits: bits == expected_bits, 60,
          "the balance of every acknowledged purchase, each once")
    subscribed = until(lambda: sorted(s["channel"] for s in mine(api, traffic.buyer)),
                       lambda channels: len(channels) >= len(done.subscribed), 60,
                       "every acknowledged subscription")
    assert subscribed == sorted(done.subscribed)


def test_deciders_recover_from_sigkills_and_count_each_command_once(
        platform: RunningPlatform, flowing: Flowing) -> None:
    bits_before = balance(flowing.traffic.api, flowing.traffic.buyer)
    restart(platform, flowing.traffic, platform.kill_worker)
    progress(flowing.traffic, flowing.traffic.acknowledged.total)
    flowing.finish(platform)
    assert recovered_within(flowing) < RECOVERY_S
    assert_each_once(platform, flowing.traffic, bits_before)


def test_deciders_recover_from_clean_restarts(platform: RunningPlatform,
                                              flowing: Flowing) -> None:
    bits_before = balance(flowing.traffic.api, flowing.traffic.buyer)
    restart(platform, flowing.traffic, platform.stop_worker)
    flowing.finish(platform)
    assert recovered_within(flowing) < RECOVERY_S
    assert_each_once(platform, flowing.traffic, bits_before)
