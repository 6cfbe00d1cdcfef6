"""Session fixtures: the real local stack (isolated from `make run`), started once per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

# Tests get their own state dir and ports so they never touch a running `make run`.
# An address given in the environment (a real cluster) still wins.
TEST_ENV = {
    "CASTLINE_STATE_DIR": str(ROOT / ".castline" / "test"),
    "CASTLINE_KAFKA_PORT": "19192",
    "CASTLINE_POSTGRES_PORT": "15532",
    "CASTLINE_POSTGRES_REPLICA_PORT": "15533",
    "CASTLINE_REDIS_PORT": "16479",
    "CASTLINE_CLICKHOUSE_PORT": "19100",
    "CASTLINE_CLICKHOUSE_HTTP_PORT": "18223",
    "CASTLINE_CLICKHOUSE_INTERSERVER_PORT": "19109",
    "CASTLINE_GATEWAY_PORT": "18180",
    "CASTLINE_RTMP_PORT": "12935",
    "CASTLINE_CASSANDRA_PORT": "19242",
    "CASTLINE_CASSANDRA_RPC_PORT": "19271",
    "CASTLINE_CASSANDRA_STORAGE_PORT": "17110",
    "CASTLINE_CASSANDRA_SSL_STORAGE_PORT": "17111",
    "CASTLINE_HLS_HTTP_PORT": "18188",
    "CASTLINE_IRC_PORT": "16667",
    "CASTLINE_S3_PORT": "19990",
    # Short enough that a stopped viewer drops out within a test's wait.
    "CASTLINE_VIEWER_WINDOW_S": "4",
    "CASTLINE_VIEWER_SWEEP_S": "0.5",
    # nginx-rtmp's heartbeat and the reconciler's pace, short so a missed end shows quickly.
    "CASTLINE_STREAM_HEARTBEAT_S": "2",
    "CASTLINE_STREAM_RECONCILE_S": "1",
    # A new live thumbnail every 2 s, so that a test sees one replaced.
    "CASTLINE_THUMBNAIL_EVERY_S": "2",
    # Tests assert outcomes, not latency: on a loaded machine a decider that has just been
    # restarted by an earlier test may take longer than production's 5 s to answer.
    "CASTLINE_COMMAND_TIMEOUT_S": "30",
    # Likewise a read-your-writes wait: a read model behind on a loaded machine is waited for,
    # not answered 503 while the test races on.
    "CASTLINE_READ_WAIT_MAX_S": "30",
    # Recommendations from what tests watched a moment ago.
    "CASTLINE_RECOMMENDATIONS_LIVE_REFRESH_S": "0",
    "CASTLINE_RECOMMENDATIONS_GRAPH_REFRESH_S": "0",
    "CASTLINE_RECOMMENDATIONS_MIN_WATCH_MINUTES": "1",
    # Every test signs in from 127.0.0.1; the per-address limit has its own test.
    "CASTLINE_LOGIN_FAILURES_PER_ADDRESS": "100000",
    "CASTLINE_REGISTRATIONS_PER_ADDRESS": "100000",
    "CASTLINE_PLAYER_TOKENS_PER_ADDRESS": "100000",
    # Subscriptions: the scheduler reads each channel's time from a test clock, often.
    "CASTLINE_SUBSCRIPTION_TEST_CLOCK": "true",
    "CASTLINE_SUBSCRIPTION_TICK_S": "0.2",
    # Readiness: a stopped worker's feeds are reported within a test's wait.
    "CASTLINE_READY_FEED_SILENT_S": "10",
    # Ads: a CPM high enough that a few impressions earn whole cents; the scheduler, often.
    "CASTLINE_AD_CPM_MINOR": "2500",
    "CASTLINE_AD_TICK_S": "0.2",
    # EventSub webhooks: receivers in tests listen on plain http on loopback; retries soon.
    "CASTLINE_EVENTSUB_LOOPBACK_HTTP": "true",
    "CASTLINE_EVENTSUB_WEBHOOK_BACKOFF_S": "0.2",
    # Raids count down as in production; tests move the channel's clock (above) past the end.
    "CASTLINE_RAID_TICK_S": "0.2",
    # Idle readers reach their longest rest within seconds, so that tests meet it.
    "CASTLINE_KAFKA_LONGEST_REST_S": "2",
}
for _name, _value in TEST_ENV.items():
    os.environ.setdefault(_name, _value)

import httpx  # noqa: E402

from config.settings import Settings  # noqa: E402  (after the environment is set)
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform  # noqa: E402


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def stack(settings: Settings) -> Iterator[Settings]:
    """Servers up, topics and migrations in place; servers started here are stopped after.

    A session that finds no test server running starts from empty data, so nothing one session
    left behind (broker group members, claimed names) can change the next one.
    """
    from castline.platform import local_stack
    from infra.stack import status

    if TEST_ENV["CASTLINE_STATE_DIR"] == str(settings.state_dir) and not any(
        s.state == "running" for s in status(settings)
    ):
        shutil.rmtree(settings.state_dir, ignore_errors=True)
    with local_stack(settings):
        yield settings


@pytest.fixture(scope="session")
def platform(stack: Settings) -> Iterator[RunningPlatform]:
    """A worker and a gateway, as processes, for the whole session."""
    running = RunningPlatform(stack, ARTIFACTS / "logs")
    try:
        running.start_worker()
        running.start_gateway()
        yield running
    finally:
        running.stop_all()


@pytest.fixture
def api(platform: RunningPlatform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as client:
        yield client
