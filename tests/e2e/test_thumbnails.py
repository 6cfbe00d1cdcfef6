"""Live thumbnails: while a channel is live its resources carry a Helix-style template, the
HTTP server scales the latest still to the size asked for, and a newer still replaces it;
offline there is none."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import httpx

from castline.processes import stop
from tests.e2e.conftest import Streamer, is_live
from tests.e2e.publisher import probe, publish
from tests.e2e.test_streaming import channel
from tests.running import CLIENT_TIMEOUT_S
from tests.waiting import until


def still(url: str) -> bytes:
    """The JPEG at url; b"" until there is one."""
    answer = httpx.get(url, timeout=CLIENT_TIMEOUT_S)
    if answer.status_code == 404:
        return b""
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/jpeg"
    return answer.content


def test_a_live_channel_has_a_thumbnail_that_is_replaced_and_none_offline(
    api: httpx.Client, streamer: Streamer, logs: Path,
    publishers: list[subprocess.Popen[bytes]],
) -> None:
    name = streamer.account.username
    publishers.append(publish(streamer.server, streamer.key, logs / "obs.log"))
    until(lambda: is_live(api, name), bool, 30, "the channel to go live")
    live = channel(api, name)
    template = live["thumbnail_url"]
    assert template.endswith(f"/{name}-{{width}}x{{height}}.jpg")
    small = template.replace("{width}", "320").replace("{height}", "180")
    first = until(lambda: still(small), bool, 30, "a first thumbnail")
    [picture] = probe(small)
    assert (picture["width"], picture["height"]) == (320, 180)
    until(lambda: still(small), lambda now: bool(now) and now != first, 30,
          "a newer thumbnail")
    listed = api.get("/api/v1/streams", params={"first": 100}).json()["data"]
    assert {c["name"]: c["thumbnail_url"] for c in listed}.get(name) == template
    for wrong in ("0x180", "320x0", "99999x180", "axb", "320x180x1"):
        url = template.replace("{width}x{height}", wrong)
        assert httpx.get(url, timeout=CLIENT_TIMEOUT_S).status_code == 404, wrong
    stop(publishers.pop(), signal.SIGINT, grace_s=5)
    offline = until(lambda: channel(api, name), lambda c: not c["live"], 20,
                    "the channel to go offline")
    assert offline["thumbnail_url"] is None
