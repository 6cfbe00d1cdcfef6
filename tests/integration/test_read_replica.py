"""Reads that may lag go to a streaming replica: a gateway given one reads channel pages
there, so a replica that has paused replaying shows the old title, and a read naming its own
write's position waits for the replica to apply it (503 while it cannot), then sees it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from config.settings import Settings
from infra import lifecycle
from infra.servers.postgres_replica import PostgresReplicaServer
from tests.integration.money import with_channel
from tests.integration.test_bench_smoke import free_port
from tests.integration.test_channels_api import patch
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until


@pytest.fixture(scope="module")
def replica(stack: Settings) -> Iterator[str]:
    """A fresh streaming replica of the test PostgreSQL, stopped and removed after."""
    server = PostgresReplicaServer()
    directory = lifecycle.files_of(stack, server).dir
    lifecycle.stop(stack, server)
    shutil.rmtree(directory, ignore_errors=True)
    lifecycle.settle(stack, server, lifecycle.launch(stack, server))
    try:
        yield server.address(stack)
    finally:
        lifecycle.stop(stack, server)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def reading_replica(platform: RunningPlatform, replica: str) -> Iterator[httpx.Client]:
    """A gateway whose lagging reads go to the replica, and that waits 1 s for a position."""
    env = {"CASTLINE_POSTGRES_REPLICA_DSN": replica, "CASTLINE_READ_WAIT_MAX_S": "1"}
    port = free_port(platform.settings.gateway_host)
    with platform.extra_gateway(port, env) as url, \
            httpx.Client(base_url=url, timeout=CLIENT_TIMEOUT_S) as client:
        yield client


def title(api: httpx.Client, name: str, **params: str) -> tuple[int, str | None]:
    response = api.get(f"/api/v1/channels/{name}", params=params)
    if response.status_code != 200:
        return response.status_code, None
    return 200, response.json()["data"]["title"]


def test_a_paused_replica_serves_old_reads_and_a_named_position_waits_for_it(
        api: httpx.Client, reading_replica: httpx.Client, replica: str) -> None:
    account = with_channel(api, "replica")
    name = account.username
    first = patch(reading_replica, account, name, title="before the pause")
    assert first.status_code == 200, first.text
    until(lambda: title(reading_replica, name, min_position=first.json()["position"]),
          lambda t: t == (200, "before the pause"), 30, "the replica to show the first title")
    with psycopg.connect(replica, autocommit=True) as standby:
        standby.execute("SELECT pg_wal_replay_pause()")
        try:
            second = patch(reading_replica, account, name, title="after the pause")
            assert second.status_code == 200, second.text
            position = second.json()["position"]
            until(lambda: title(api, name, min_position=position), lambda t: t[1] == (
                "after the pause"), 30, "the primary to project the new title")
            assert title(reading_replica, name) == (200, "before the pause")
            assert title(reading_replica, name, min_position=position)[0] == 503
        finally:
            standby.execute("SELECT pg_wal_replay_resume()")
    until(lambda: title(reading_replica, name, min_position=position),
          lambda t: t == (200, "after the pause"), 30, "the replica to replay again")
