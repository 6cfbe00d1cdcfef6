"""Mixed chat, cheer, ad and follow traffic while the channel decider is caught between sending
a batch's events and committing it (tests/e2e/decider_window.py): twice its PostgreSQL session
is terminated there and twice the worker is SIGKILLed there, each cut repeated until the log
holds a batch decided again (the same event ids at new offsets). Then every read model and
ClickHouse rollup of the test's channels equals the log counted once per event id: the raw
tables, chat activity, follows and revenue rollups, the ledger, follower counts, chat history
and the cheerers' bits."""

from __future__ import annotations

import json
import random
import subprocess
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
from websockets.sync.client import ClientConnection

from events.ads import AdImpressionRecorded
from events.chat import CHAT_TOPIC, ChatMessagePosted
from events.monetization import MONETIZATION_TOPIC, BitsCheered, BitsPurchased
from events.social import FOLLOWS_TOPIC, ChannelFollowed
from tests.e2e.conftest import Streamer, is_live
from tests.e2e.counted_once import (
    Differences,
    chat_activity,
    clickhouse,
    clickhouse_revenue,
    differences,
    follows_per_day,
    ledger_entries,
    logged_entries,
    of_channels,
    raw_rows,
    revenue_of,
)
from tests.e2e.decider_window import (
    channel_state,
    kill_in_the_window,
    terminate_in_the_window,
)
from tests.e2e.log_reading import Log, read_log
from tests.e2e.publisher import publish
from tests.e2e.test_ads import impression, start_break
from tests.e2e.test_decider_crash import sent_until_decided
from tests.integration.money import balance, bought, user_id, with_channel
from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.test_chat import join
from tests.integration.watching import beat, player
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until

FEED = "channel_decider"
STEPS = 300  # at most, per traffic thread
VIEWERS = 4
CHEERERS = 2
CHAT_REFUSALS = {"rate_limited", "insufficient_bits", "decider_timeout"}
TOPICS = (CHAT_TOPIC, MONETIZATION_TOPIC, FOLLOWS_TOPIC)
SETTLE_S = 90
ROUNDS = 2
ATTEMPTS = 4  # cuts of one kind until a batch with events is decided again


@dataclass(frozen=True)
class Cast:
    live: Account  # streaming, with an ad break running
    quiet: Account
    viewers: list[Account]
    break_id: str

    @property
    def channels(self) -> list[str]:
        return [self.live.username, self.quiet.username]

    @property
    def cheerers(self) -> list[Account]:
        return self.viewers[:CHEERERS]


@dataclass
class Traffic:
    base: str
    cast: Cast
    rng: random.Random = field(default_factory=lambda: random.Random(16))
    answered: Counter[str] = field(default_factory=Counter)
    stopping: threading.Event = field(default_factory=threading.Event)
    failures: list[str] = field(default_factory=list)

    def chat(self, viewers: list[Account]) -> None:
        """Chat and cheers over sockets, each message waited for."""
        with ExitStack() as stack:
            sockets = [(viewer, stack.enter_context(join(self.base, channel, viewer)))
                       for channel in self.cast.channels for viewer in viewers]
            for step in range(STEPS):
                if self.stopping.is_set():
                    return
                viewer, ws = self.rng.choice(sockets)
                cheer = viewer in self.cast.cheerers and self.rng.random() < 0.5
                text = f"cheer{self.rng.randint(1, 9)} chaos {step}" if cheer else f"chaos {step}"
                self.tell(verdict(ws, text, uuid4().hex), "cheer" if cheer else "chat")

    def tell(self, frame: dict[str, Any], kind: str) -> None:
        if frame["type"] == "ack":
            self.answered[kind] += 1
        elif frame.get("reason") in CHAT_REFUSALS:
            self.answered[f"{kind} refused"] += 1
        else:
            self.failures.append(f"{kind}: {frame}")

    def http(self) -> None:
        """Ad impressions (the same player again while a worker is down) and follows."""
        with httpx.Client(base_url=self.base, timeout=CLIENT_TIMEOUT_S) as api:
            for step in range(STEPS):
                if self.stopping.is_set():
                    return
                if step % 2 == 0:
                    self.impression(api, step)
                else:
                    self.follow(api, self.rng.choice(self.cast.viewers))

    def impression(self, api: httpx.Client, step: int) -> None:
        """A new player (from an address of its own, under the per-address cap) heartbeats
        during the break, then reports its impression."""
        who = player(api, self.cast.live.username, address=f"10.77.{step // 200}.{step % 200 + 1}")
        beat(api, [who])
        answer = sent_until_decided(api, lambda: impression(api, self.cast.break_id, who))
        if answer.status_code == 200 and answer.json()["data"]["counted"]:
            self.answered["impression"] += 1
        else:
            self.failures.append(f"impression: {answer.status_code} {answer.text}")

    def follow(self, api: httpx.Client, viewer: Account) -> None:
        channel = self.rng.choice(self.cast.channels)
        answer = api.post(f"/api/v1/channels/{channel}/follow", headers=viewer.auth)
        if answer.status_code == 202:
            self.answered["follow"] += 1
        else:
            self.failures.append(f"follow: {answer.status_code} {answer.text}")


def verdict(ws: ClientConnection, text: str, nonce: str) -> dict[str, Any]:
    """The message's ack or error, however long a restarted decider takes to answer."""
    ws.send(json.dumps({"type": "message", "text": text, "nonce": nonce}))
    while True:
        frame: dict[str, Any] = json.loads(ws.recv(timeout=CLIENT_TIMEOUT_S))
        if frame["type"] in ("ack", "error") and frame.get("nonce") == nonce:
            return frame


def cast_of(api: httpx.Client, streamer: Streamer, logs: Path,
            publishers: list[subprocess.Popen[bytes]]) -> Cast:
    live = streamer.account.username
    publishers.append(publish(streamer.server, streamer.key, logs / "publisher.log", 600))
    until(lambda: is_live(api, live), bool, 60, "the channel to go live")
    viewers = [signed_in(api, "chaosfan") for _ in range(VIEWERS)]
    for cheerer in viewers[:CHEERERS]:
        assert bought(api, cheerer, 1500) == 1500
    started = start_break(api, live, streamer.account, 180)
    assert started.status_code == 201, started.text
    return Cast(streamer.account, with_channel(api, "chaosquiet"), viewers,
                started.json()["data"]["break_id"])


def moved_on(traffic: Traffic) -> None:
    """Until the deciders have answered a few more commands (follows need none)."""
    def decided() -> int:
        return sum(n for kind, n in traffic.answered.items() if kind != "follow")

    beyond = decided() + 10
    until(decided, lambda n: n >= beyond, 120, "the traffic to be decided again",
          interval_s=0.05)


def cut_until_decided_again(platform: RunningPlatform, cast: Cast, traffic: Traffic,
                            cut: Callable[[], None]) -> None:
    """Cut the decider in its window until the log shows a batch decided again (a batch of
    refusals only sends no events)."""
    before = decided_again(platform, cast)
    for _ in range(ATTEMPTS):
        moved_on(traffic)
        cut()
        moved_on(traffic)
        if decided_again(platform, cast) - before:
            return
    raise AssertionError(f"{ATTEMPTS} cuts and no batch decided again")


def read_models(platform: RunningPlatform, api: httpx.Client, cast: Cast) -> Differences:
    """Every read model of the channels against the log counted once per event id."""
    settings, channels = platform.settings, cast.channels
    log = read_log(settings, TOPICS)
    client = clickhouse(settings)
    try:
        found = {**raw_rows(client, log, channels, (ChatMessagePosted, BitsCheered,
                                                    AdImpressionRecorded, ChannelFollowed)),
                 **chat_activity(client, log, channels), **follows_per_day(client, log, channels)}
        revenue = clickhouse_revenue(client, channels)
    finally:
        client.disconnect()
    entries = logged_entries(log, channels)
    return {**found, **differences(
        revenue_per_day=(revenue_of(entries), revenue),
        ledger=(entries, ledger_entries(settings, channels)),
        followers=(followers_in(log, channels), {c: followers(api, c) for c in channels}),
        chat_history=(history_in(log, channels), {c: history(api, c) for c in channels}),
        balances=({c.username: balance_in(platform, log, c) for c in cast.cheerers},
                  {c.username: balance(api, c) for c in cast.cheerers}))}


def followers_in(log: Log, channels: list[str]) -> dict[str, int]:
    return {channel: len({e.user_id for e in log.distinct(of_channels([channel]))
                          if isinstance(e, ChannelFollowed)}) for channel in channels}


def followers(api: httpx.Client, channel: str) -> int:
    response = api.get(f"/api/v1/channels/{channel}")
    assert response.status_code == 200, response.text
    count: int = response.json()["data"]["followers"]
    return count


def history_in(log: Log, channels: list[str]) -> dict[str, Counter[str]]:
    return {channel: Counter(e.message_id for e in log.distinct(of_channels([channel]))
                             if isinstance(e, ChatMessagePosted)) for channel in channels}


def history(api: httpx.Client, channel: str) -> Counter[str]:
    """Every message id in the channel's chat history, page by page."""
    ids: Counter[str] = Counter()
    cursor: str | None = ""
    while cursor is not None:
        page = api.get(f"/api/v1/channels/{channel}/chat/messages",
                       params={"first": 100, **({"after": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        ids.update(message["id"] for message in page.json()["data"])
        cursor = page.json()["pagination"]["cursor"]
    return ids


def balance_in(platform: RunningPlatform, log: Log, account: Account) -> int:
    owner = user_id(platform.settings, account)
    moved = 0
    for event in log.distinct(lambda e: getattr(e, "user_id", None) == owner):
        if isinstance(event, BitsPurchased):
            moved += event.bits
        elif isinstance(event, BitsCheered):
            moved -= event.bits
    return moved


def decided_again(platform: RunningPlatform, cast: Cast) -> set[Any]:
    """Event ids of the channels' that the log holds at more than one position."""
    return read_log(platform.settings, TOPICS).repeated(of_channels(cast.channels))


def test_every_store_counts_an_event_once_after_the_channel_decider_is_cut_mid_batch(
        platform: RunningPlatform, api: httpx.Client, streamer: Streamer, logs: Path,
        publishers: list[subprocess.Popen[bytes]]) -> None:
    cast = cast_of(api, streamer, logs, publishers)
    traffic = Traffic(platform.base_url, cast)
    threads = [threading.Thread(target=traffic.chat, args=(viewers,), name="chat")
               for viewers in (cast.viewers[::2], cast.viewers[1::2])]
    threads.append(threading.Thread(target=traffic.http, name="http"))
    for thread in threads:
        thread.start()
    state = channel_state(cast.live.username)
    cuts: list[Callable[[], None]] = [
        lambda: terminate_in_the_window(platform.settings, FEED, state),
        lambda: kill_in_the_window(platform, FEED, state)] * ROUNDS
    try:
        for cut in cuts:
            cut_until_decided_again(platform, cast, traffic, cut)
    finally:
        traffic.stopping.set()
        for thread in threads:
            thread.join(CLIENT_TIMEOUT_S * 2)
    assert not any(thread.is_alive() for thread in threads)
    assert traffic.failures == []
    assert {"chat", "cheer", "impression", "follow"} <= set(traffic.answered), traffic.answered
    found = until(lambda: read_models(platform, api, cast), lambda d: d == {}, SETTLE_S,
                  "every read model to count each event of the log once", interval_s=1)
    assert found == {}
