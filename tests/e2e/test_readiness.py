"""/ready tells the truth: a worker that is not running makes it answer 503, naming its feeds.
Meanwhile nginx-rtmp's heartbeats go undecided, and that must not disconnect a publisher."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx

from config.shared_secrets import ingest_secret
from processors.reconcile import publishers as publishing_clients
from tests.e2e.conftest import Streamer, is_live
from tests.e2e.publisher import publish
from tests.integration.test_ingest_callbacks import beat
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until

FEEDS = ("account_decider", "wallet_decider", "subscription_decider", "channel_decider",
         "scheduler", "channels", "users", "viewers")


def readiness(api: httpx.Client) -> tuple[int, dict[str, Any]]:
    response = api.get("/ready")
    feeds: dict[str, Any] = response.json()["checks"]["feeds"]
    return response.status_code, feeds


def published(platform: RunningPlatform, channel: str) -> set[str]:
    """nginx-rtmp's client ids publishing the channel."""
    stat = httpx.get(platform.settings.rtmp_stat_url, timeout=CLIENT_TIMEOUT_S)
    return {client for name, client in publishing_clients(stat.text) if name == channel}


def test_ready_names_the_feeds_of_a_stopped_worker_and_no_stream_ends(
        platform: RunningPlatform, api: httpx.Client, streamer: Streamer, logs: Path,
        publishers: list[subprocess.Popen[bytes]]) -> None:
    channel = streamer.account.username
    publishers.append(publish(streamer.server, streamer.key, logs / "publisher.log", 600))
    until(lambda: is_live(api, channel), bool, 60, "the channel to go live")
    client = until(lambda: published(platform, channel), bool, 30, "nginx to list the publisher")
    _, feeds = until(lambda: readiness(api), lambda r: r[0] == 200, 90,
                     "every feed to report")
    assert feeds["ok"]
    assert feeds["feeds"] >= len(FEEDS)
    platform.stop_worker()
    try:
        status, feeds = until(lambda: readiness(api),
                              lambda r: set(FEEDS) <= set(r[1].get("faults", {})), 60,
                              "every feed of the stopped worker to be missed")
        assert status == 503
        assert not feeds["ok"]
        for name in FEEDS:
            assert feeds["faults"][name].startswith("not running"), feeds
        undecided = beat(api, ingest_secret(platform.settings), channel, next(iter(client)))
        assert undecided.status_code == 200, f"an undecided beat disconnects: {undecided.text}"
    finally:
        platform.start_worker()
    _, feeds = until(lambda: readiness(api), lambda r: r[0] == 200, 90,
                     "every feed to report again")
    assert "faults" not in feeds
    assert publishers[0].poll() is None, "the publisher was disconnected"
    assert published(platform, channel) == client
    assert is_live(api, channel)
