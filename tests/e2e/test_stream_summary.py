"""The broadcaster's dashboard: a real stream watched, followed, chatted, cheered and donated in,
then its summary read back from ClickHouse's rollups through the API."""

from __future__ import annotations

import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from castline.processes import stop
from tests.e2e.conftest import Streamer, is_live, new_streamer
from tests.e2e.publisher import publish
from tests.integration.money import bought, donate, key
from tests.integration.oauth_helpers import signed_in
from tests.integration.test_chat import join
from tests.integration.test_chat_moderation import say
from tests.integration.watching import beat, player
from tests.running import RunningPlatform
from tests.waiting import until


def summaries(api: httpx.Client, streamer: Streamer, **params: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/channels/{streamer.account.username}/analytics/streams",
                       params=params, headers=streamer.account.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def stream_once(api: httpx.Client, streamer: Streamer, log: Path) -> None:
    """Publish until the channel is live, then stop and wait for the end to be projected."""
    name = streamer.account.username
    publisher: subprocess.Popen[bytes] = publish(streamer.server, streamer.key, log)
    try:
        until(lambda: is_live(api, name), bool, 20, f"{name} to go live")
    finally:
        stop(publisher, signal.SIGINT, grace_s=5)
    until(lambda: is_live(api, name), lambda live: not live, 30, f"{name} to end")


def early_in_a_minute() -> None:
    """Heartbeats sent together must fall in one minute for the peak to count them together."""
    seconds = datetime.now(UTC).second
    if seconds >= 50:
        time.sleep(61 - seconds)


def test_a_streams_summary_counts_its_viewers_followers_and_chat(
    platform: RunningPlatform, api: httpx.Client, logs: Path,
    publishers: list[subprocess.Popen[bytes]],
) -> None:
    streamer = new_streamer(api)
    name = streamer.account.username
    stream_once(api, streamer, logs / "earlier.log")
    publishers.append(publish(streamer.server, streamer.key, logs / "summarized.log"))
    until(lambda: is_live(api, name), bool, 20, f"{name} to go live")
    fan, other = signed_in(api, "fan"), signed_in(api, "oth")
    bought(api, fan, 100)
    audience = [player(api, name, fan), player(api, name, fan), player(api, name, other),
                player(api, name)]
    early_in_a_minute()
    beat(api, audience)
    assert api.post(f"/api/v1/channels/{name}/follow", headers=fan.auth).status_code == 202
    with join(platform.base_url, name, fan) as ws:
        assert say(ws, "cheer100 gg")["type"] == "ack"
        assert say(ws, "nice play")["type"] == "ack"
    with join(platform.base_url, name, other) as ws:
        assert say(ws, "hello")["type"] == "ack"
    assert donate(api, other, name, 1000, key(), "great stream").status_code == 201

    def live_summary() -> dict[str, Any] | None:
        return next((s for s in summaries(api, streamer)["data"] if s["live"]), None)

    live = until(live_summary, lambda s: s is not None and s["chat"]["messages"] == 3
                 and s["unique_viewers"] == 3 and s["new_followers"] == 1
                 and len(s["revenue"]) == 1 and s["revenue"][0]["total"] == 991,
                 60, "the live stream's summary")
    assert live is not None
    assert live["peak_viewers"] == 3, "one user's two tabs count once"
    assert live["watch_minutes"] == 3
    assert live["chat"] == {"messages": 3, "chatters": 2}
    assert live["ended_at"] is None
    # 100 bits cheered, all the channel's; a 1000 donation less 2.9 % + 30 and the platform's 5 %
    assert live["revenue"] == [{"currency": "USD", "cheers": 100, "donations": 891,
                                "subscriptions": 0, "ads": 0, "total": 991}]

    first_page = summaries(api, streamer, first="1")
    second_page = summaries(api, streamer, first="1", after=first_page["pagination"]["cursor"])
    assert second_page["pagination"]["cursor"] is None
    [earlier] = [s for s in first_page["data"] + second_page["data"] if not s["live"]]
    assert earlier["session_id"] != live["session_id"]
    assert earlier["ended_at"] is not None
    assert earlier["watch_minutes"] == earlier["new_followers"] == 0


def test_only_the_broadcaster_reads_a_channels_analytics(api: httpx.Client) -> None:
    streamer, stranger = new_streamer(api), signed_in(api, "str")
    path = f"/api/v1/channels/{streamer.account.username}/analytics/streams"
    assert api.get(path).status_code == 401
    forbidden = api.get(path, headers=stranger.auth)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"] == "forbidden"
    missing = api.get("/api/v1/channels/nobody_here_at_all/analytics/streams",
                      headers=stranger.auth)
    assert missing.status_code == 404
    bad = api.get(path, params={"after": "not-a-cursor"}, headers=streamer.account.auth)
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_cursor"
    assert summaries(api, streamer)["data"] == []
