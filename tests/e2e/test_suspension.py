"""An admin suspends a live channel: the session ends, the publisher is dropped, new publishes
are refused and recorded; reinstated, the channel streams again."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import psycopg

from tests.e2e.conftest import Streamer
from tests.e2e.publisher import publish
from tests.integration.oauth_helpers import admin_signed_in
from tests.running import RunningPlatform
from tests.waiting import until


def live(api: httpx.Client, name: str) -> bool:
    return bool(api.get(f"/api/v1/channels/{name}").json()["data"]["live"])


def refusals(platform: RunningPlatform, name: str) -> list[str]:
    with psycopg.connect(platform.settings.postgres) as conn:
        rows = conn.execute("SELECT reason FROM publish_rejections WHERE channel = %s",
                            (name,)).fetchall()
    return [r[0] for r in rows]


def test_suspension_ends_refuses_and_reinstatement_allows(
    api: httpx.Client, platform: RunningPlatform, streamer: Streamer, logs: Path,
    publishers: list[subprocess.Popen[bytes]],
) -> None:
    name = streamer.account.username
    admin = admin_signed_in(api, platform.settings)
    publishers.append(publish(streamer.server, streamer.key, logs / "first.log"))
    until(lambda: live(api, name), bool, 20, "the channel to go live")
    suspended = api.post(f"/api/v1/channels/{name}/suspension", json={"reason": "tos"},
                         headers=admin.auth)
    assert suspended.status_code == 200, suspended.text
    until(lambda: live(api, name), lambda is_live: not is_live, 20, "the session to end")
    assert publishers[0].wait(30) != 0, "the publisher should have been dropped"
    retry = publish(streamer.server, streamer.key, logs / "refused.log", seconds=5)
    assert retry.wait(30) != 0
    until(lambda: refusals(platform, name), lambda r: "channel_banned" in r, 20,
          "the refusal to be recorded")
    assert api.get(f"/api/v1/channels/{name}").json()["data"]["suspended"] is True
    lifted = api.delete(f"/api/v1/channels/{name}/suspension", headers=admin.auth)
    assert lifted.status_code == 200, lifted.text
    publishers.append(publish(streamer.server, streamer.key, logs / "again.log"))
    until(lambda: live(api, name), bool, 20, "the channel to go live again")
