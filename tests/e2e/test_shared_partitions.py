"""Three workers share every feed's partitions under mixed traffic (chat, cheers, purchases,
heartbeats and ad impressions, follows); one is SIGKILLed and its partitions are taken over
within 10 s; a fourth joins and takes its share of every feed. Then every read model of the
test's channels counts each event of the log once."""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg

from analytics.sink import ClickHouseSink
from castline.processes import castline_command, kill, spawn, stop
from config.settings import Settings
from events.catalog import TOPICS
from feeds.leases import MEMBER, feed_key
from processors.account_handler import AccountHandler
from processors.channel_batches import NAME as CHANNEL_DECIDER
from processors.channel_batches import ChannelDecider
from processors.subscription_handler import SubscriptionHandler
from processors.wallet_handler import WalletHandler
from projections.chat_history import NAME as CHAT_HISTORY
from projections.chat_history import ChatHistory
from projections.eventsub.outbox import EventSubOutbox
from projections.registry import PROJECTIONS
from projections.viewers import ViewerCounter
from tests.e2e.conftest import Streamer
from tests.e2e.test_channel_chaos import SETTLE_S, Traffic, cast_of, moved_on, read_models
from tests.integration.oauth_helpers import Account
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until

TAKEOVER_S = 10.0  # the most a dead worker's partitions may stay unapplied
SPREAD_S = 120.0  # for new workers to start and take their shares on a loaded machine
# Every feed the workers share, with its topics.
FEEDS: dict[str, tuple[str, ...]] = {
    AccountHandler.name: AccountHandler.topics, WalletHandler.name: WalletHandler.topics,
    SubscriptionHandler.name: SubscriptionHandler.topics, CHANNEL_DECIDER: ChannelDecider.topics,
    **{p.name: p.topics for p in PROJECTIONS}, ViewerCounter.name: ViewerCounter.topics,
    CHAT_HISTORY: ChatHistory.topics, "analytics": ClickHouseSink.topics,
    EventSubOutbox.name: EventSubOutbox.topics,
}
PARTITIONS = {spec.name: spec.partitions for spec in TOPICS}
HELD = ("SELECT count(*), count(DISTINCT pid) FROM pg_locks WHERE locktype = 'advisory' "
        "AND granted AND classid = %s::int4::oid AND objsubid = 2 "
        "AND objid <> %s::int4::oid")
SHARES = ("SELECT name, member FROM feeds WHERE partitions > 0 "
          "AND reported_at > now() - interval '3 seconds'")


def member(process: subprocess.Popen[bytes]) -> str:
    return f"{socket.gethostname()}:{process.pid}"


def unheld(conn: psycopg.Connection) -> dict[str, tuple[int, int]]:
    """Each feed whose partitions are not all held: (held, of how many)."""
    missing = {}
    for feed, topics in FEEDS.items():
        row = conn.execute(HELD, (feed_key(feed), MEMBER)).fetchone()
        assert row is not None
        total = sum(PARTITIONS[topic] for topic in topics)
        if row[0] != total:
            missing[feed] = (row[0], total)
    return missing


def without_share(conn: psycopg.Connection, members: set[str]) -> dict[str, set[str]]:
    """Each feed of which some of these members hold no partition: which ones."""
    holding: dict[str, set[str]] = {}
    for name, who in conn.execute(SHARES).fetchall():
        holding.setdefault(name, set()).add(who)
    return {feed: lacking for feed in FEEDS
            if (lacking := members - holding.get(feed, set()))}


@contextmanager
def workers(logs: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Extra worker processes beside the platform's, stopped after."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in started:
            stop(process, signal.SIGINT)


def start_worker(started: list[subprocess.Popen[bytes]], logs: Path) -> subprocess.Popen[bytes]:
    process = spawn(castline_command("worker"), logs / f"worker-{len(started) + 2}.log")
    started.append(process)
    return process


def taken_over(settings: Settings) -> float:
    """Seconds until every partition of every feed is held again."""
    started = time.monotonic()
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        until(lambda: unheld(conn), lambda left: left == {}, SPREAD_S,
              "every partition of every feed to be held by a live worker", interval_s=0.1)
    return time.monotonic() - started


def shared_by(settings: Settings, processes: list[subprocess.Popen[bytes]]) -> None:
    members = {member(p) for p in processes}
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        until(lambda: without_share(conn, members), lambda lacking: lacking == {}, SPREAD_S,
              "every worker to hold a share of every feed", interval_s=0.5)


def chatting(traffic: Traffic, viewers: list[Account]) -> None:
    """Rounds of the traffic's chat and cheers until it is stopped."""
    while not traffic.stopping.is_set():
        traffic.chat(viewers)


def test_workers_share_partitions_take_over_a_dead_ones_and_count_each_event_once(
        platform: RunningPlatform, api: httpx.Client, streamer: Streamer, logs: Path,
        publishers: list[subprocess.Popen[bytes]]) -> None:
    assert platform.worker is not None
    cast = cast_of(api, streamer, logs, publishers)
    traffic = Traffic(platform.base_url, cast)
    # Chat goes on for as long as the workers change, however slowly they start.
    threads = [threading.Thread(target=chatting, args=(traffic, viewers), name="chat")
               for viewers in (cast.viewers[::2], cast.viewers[1::2])]
    threads.append(threading.Thread(target=traffic.http, name="http"))
    for thread in threads:
        thread.start()
    try:
        with workers(logs) as started:
            second, third = start_worker(started, logs), start_worker(started, logs)
            shared_by(platform.settings, [platform.worker, second, third])
            moved_on(traffic)
            kill(third)
            took = taken_over(platform.settings)
            assert took <= TAKEOVER_S, f"taken over in {took:.1f} s"
            fourth = start_worker(started, logs)
            shared_by(platform.settings, [platform.worker, second, fourth])
            moved_on(traffic)
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
