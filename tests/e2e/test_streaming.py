"""Publish with ffmpeg like OBS: live within a bounded wait, HLS ladder playable, offline after;
a wrong key and a second publisher are refused and recorded."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Any

import httpx
import psycopg

from castline.processes import stop
from tests.e2e.conftest import Streamer
from tests.e2e.publisher import probe, publish
from tests.running import RunningPlatform
from tests.waiting import until


def channel(api: httpx.Client, name: str) -> dict[str, Any]:
    data: dict[str, Any] = api.get(f"/api/v1/channels/{name}").json()["data"]
    return data


def rejections(platform: RunningPlatform, name: str) -> list[str]:
    with psycopg.connect(platform.settings.postgres) as conn:
        rows = conn.execute("SELECT reason FROM publish_rejections WHERE channel = %s "
                            "ORDER BY rejected_at", (name,)).fetchall()
    return [r[0] for r in rows]


def test_publish_goes_live_plays_every_rendition_and_ends(
    api: httpx.Client, streamer: Streamer, logs: Path,
    publishers: list[subprocess.Popen[bytes]],
) -> None:
    name = streamer.account.username
    publishers.append(publish(streamer.server, streamer.key, logs / "obs.log"))
    live = until(lambda: channel(api, name), lambda c: c["live"], 20, "the channel to go live")
    assert live["playlist_url"].endswith(f"/{name}.m3u8")
    assert streamer.key not in live["playlist_url"]
    streams = until(lambda: probe(live["playlist_url"]), lambda s: len(s) >= 6, 30,
                    "a playable master playlist")
    sizes = sorted((s["width"], s["height"]) for s in streams if s["codec_type"] == "video")
    assert sizes == [(284, 160), (640, 360), (640, 360)]
    base = live["playlist_url"].rsplit("/", 1)[0]
    for rendition in ("src", "360p", "160p"):
        variant = probe(f"{base}/{name}_{rendition}/index.m3u8")
        assert {s["codec_type"] for s in variant} == {"video", "audio"}, rendition
    stop(publishers.pop(), signal.SIGINT, grace_s=5)
    until(lambda: channel(api, name), lambda c: not c["live"], 20, "the channel to go offline")
    assert api.get(f"/api/v1/users/{name}").json()["data"]["type"] == "streamer"


def test_wrong_key_is_refused_and_recorded(
    api: httpx.Client, platform: RunningPlatform, streamer: Streamer, logs: Path,
) -> None:
    wrong = streamer.key[:-4] + ("0000" if not streamer.key.endswith("0000") else "1111")
    process = publish(streamer.server, wrong, logs / "wrong.log", seconds=5)
    assert process.wait(30) != 0
    assert not channel(api, streamer.account.username)["live"]
    until(lambda: rejections(platform, streamer.account.username), lambda r: r == ["wrong_key"],
          20, "the refusal to be recorded")


def test_second_publisher_is_refused_and_the_first_stays_live(
    api: httpx.Client, platform: RunningPlatform, streamer: Streamer, logs: Path,
    publishers: list[subprocess.Popen[bytes]],
) -> None:
    name = streamer.account.username
    publishers.append(publish(streamer.server, streamer.key, logs / "first.log"))
    first = until(lambda: channel(api, name), lambda c: c["live"], 20, "the channel to go live")
    second = publish(streamer.server, streamer.key, logs / "second.log", seconds=5)
    assert second.wait(30) != 0
    until(lambda: rejections(platform, name), lambda r: r == ["already_live"], 20,
          "the refusal to be recorded")
    still = channel(api, name)
    assert still["live"]
    assert still["live_since"] == first["live_since"]
