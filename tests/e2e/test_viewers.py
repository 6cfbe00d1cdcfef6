"""Heartbeats move the viewer count (a user's two tabs count once, a stopped player drops out);
the directory lists live channels by viewers, paginated."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from tests.e2e.conftest import Streamer, is_live, new_streamer
from tests.e2e.publisher import publish
from tests.integration.oauth_helpers import signed_in
from tests.integration.watching import Player, beat, player, viewers
from tests.waiting import until


def watched(api: httpx.Client, audiences: dict[str, list[Player]]) -> dict[str, int]:
    """Send one round of heartbeats, then read every channel's count."""
    for players in audiences.values():
        beat(api, players)
    return {c: viewers(api, c) for c in audiences}


def go_live(api: httpx.Client, streamer: Streamer, tag: str, logs: Path,
            publishers: list[subprocess.Popen[bytes]]) -> None:
    name = streamer.account.username
    assert api.patch(f"/api/v1/channels/{name}", json={"tags": [tag], "category": "Tetris"},
                     headers=streamer.account.auth).status_code == 200
    publishers.append(publish(streamer.server, streamer.key, logs / f"{name}.log"))
    until(lambda: is_live(api, name), bool, 20, f"{name} to go live")


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
    busy_name, quiet_name = busy.account.username, quiet.account.username
    anonymous = player(api, busy_name)
    audiences = {busy_name: [player(api, busy_name, fan), player(api, busy_name, fan),
                             anonymous],
                 quiet_name: [player(api, quiet_name)]}
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
