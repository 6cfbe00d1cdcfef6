"""Heartbeats move the viewer count (a user's two tabs count once, a stopped player drops out);
the directory lists live channels by viewers, paginated."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from tests.e2e.conftest import Streamer, new_streamer
from tests.e2e.publisher import publish
from tests.integration.oauth_helpers import Account, signed_in
from tests.waiting import until

Viewer = tuple[Account | None, str]  # who (None: anonymous) and the player session


def beat(api: httpx.Client, channel: str, viewers: list[Viewer]) -> None:
    for account, session in viewers:
        headers = account.auth if account else {}
        response = api.post(f"/api/v1/channels/{channel}/heartbeat",
                            json={"player_session": session, "quality": "360p"}, headers=headers)
        assert response.status_code == 202, response.text


def watched(api: httpx.Client, audiences: dict[str, list[Viewer]]) -> dict[str, int]:
    """Send one round of heartbeats, then read every channel's count."""
    for channel, viewers in audiences.items():
        beat(api, channel, viewers)
    return {c: api.get(f"/api/v1/channels/{c}").json()["data"]["viewers"] for c in audiences}


def go_live(api: httpx.Client, streamer: Streamer, tag: str, logs: Path,
            publishers: list[subprocess.Popen[bytes]]) -> None:
    name = streamer.account.username
    assert api.patch(f"/api/v1/channels/{name}", json={"tags": [tag], "category": "Tetris"},
                     headers=streamer.account.auth).status_code == 200
    publishers.append(publish(streamer.server, streamer.key, logs / f"{name}.log"))
    until(lambda: api.get(f"/api/v1/channels/{name}").json()["data"], lambda c: c["live"], 20,
          f"{name} to go live")


def page(api: httpx.Client, tag: str, after: str | None = None) -> dict[str, Any]:
    params = {"tag": tag, "first": "1", **({"after": after} if after else {})}
    body: dict[str, Any] = api.get("/api/v1/streams", params=params).json()
    return body


def test_viewer_counts_and_directory(
    api: httpx.Client, logs: Path, publishers: list[subprocess.Popen[bytes]],
) -> None:
    category = f"t{uuid4().hex[:12]}"
    busy, quiet = new_streamer(api), new_streamer(api)
    for streamer in (busy, quiet):
        go_live(api, streamer, category, logs, publishers)
    fan = signed_in(api, "fan")
    anonymous: Viewer = (None, f"anon-{uuid4().hex}")
    audiences: dict[str, list[Viewer]] = {
        busy.account.username: [(fan, "tab-one-abc"), (fan, "tab-two-abc"), anonymous],
        quiet.account.username: [(None, f"anon-{uuid4().hex}")],
    }
    expected = {busy.account.username: 2, quiet.account.username: 1}
    until(lambda: watched(api, audiences), lambda counts: counts == expected, 30,
          "the viewer counts")
    first = page(api, category)
    assert [c["name"] for c in first["data"]] == [busy.account.username]
    second = page(api, category, first["pagination"]["cursor"])
    assert [c["name"] for c in second["data"]] == [quiet.account.username]
    assert second["pagination"]["cursor"] is None
    audiences[busy.account.username].remove(anonymous)
    until(lambda: watched(api, audiences)[busy.account.username], lambda n: n == 1, 30,
          "the stopped player to drop out")
