"""nginx-rtmp killed mid-stream never reports the end; reconciliation ends the session."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx
import psycopg

from infra.processes import read_pid
from infra.stack import up
from tests.e2e.conftest import Streamer
from tests.e2e.publisher import publish
from tests.running import RunningPlatform
from tests.waiting import until


def end_reason(platform: RunningPlatform, channel: str) -> str | None:
    with psycopg.connect(platform.settings.postgres) as conn:
        row = conn.execute("SELECT end_reason FROM streams WHERE channel = %s "
                           "ORDER BY started_at DESC LIMIT 1", (channel,)).fetchone()
    return None if row is None else row[0]


def test_a_killed_ingest_server_ends_its_sessions(
    api: httpx.Client, platform: RunningPlatform, streamer: Streamer, logs: Path,
    publishers: list[subprocess.Popen[bytes]],
) -> None:
    name = streamer.account.username
    publishers.append(publish(streamer.server, streamer.key, logs / "obs.log"))
    until(lambda: api.get(f"/api/v1/channels/{name}").json()["data"]["live"], bool, 20,
          "the channel to go live")
    pid = read_pid(platform.settings.state_dir / "nginx-rtmp" / "server.pid")
    assert pid is not None
    try:
        os.killpg(pid, signal.SIGKILL)
        until(lambda: api.get(f"/api/v1/channels/{name}").json()["data"]["live"],
              lambda live: not live, 30, "reconciliation to end the session")
        assert end_reason(platform, name) == "reconciled"
    finally:
        up(platform.settings, ("nginx-rtmp",))
