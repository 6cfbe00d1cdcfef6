"""Real OBS Studio as the streamer's encoder: it streams to Castline's RTMP ingest with the
channel's key, the channel goes live with every HLS rendition playable, offline when OBS stops
streaming, and the broadcast is a VOD of every rendition as long as OBS streamed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.e2e.conftest import Streamer
from tests.e2e.obs_studio import obs_studio
from tests.e2e.publisher import probe
from tests.e2e.test_streaming import channel
from tests.e2e.test_vods import duration_s, videos
from tests.waiting import until


def every_rendition_sized(streams: list[dict[str, Any]]) -> bool:
    videos = [s for s in streams if s["codec_type"] == "video"]
    return len(streams) >= 6 and all(s.get("width") for s in videos)


def test_obs_streams_live_with_every_rendition_then_ends(
    api: httpx.Client, streamer: Streamer, logs: Path, tmp_path: Path,
) -> None:
    name = streamer.account.username
    with obs_studio(tmp_path / "home", logs) as obs:
        obs.show_test_card()
        obs.stream_to(streamer.server, streamer.key)
        live = until(lambda: channel(api, name), lambda c: c["live"], 60,
                     "the channel to go live from OBS")
        streams = until(lambda: probe(live["playlist_url"]), every_rendition_sized, 60,
                        "a playable master playlist, every rendition sized")
        base = live["playlist_url"].rsplit("/", 1)[0]
        renditions = {rendition: probe(f"{base}/{name}_{rendition}/index.m3u8")
                      for rendition in ("src", "360p", "160p")}
        assert obs.streaming()
        streamed_s = obs.stop_streaming()
        until(lambda: channel(api, name), lambda c: not c["live"], 30,
              "the channel to go offline when OBS stops")
    [video] = until(lambda: videos(api, name).json()["data"], bool, 90, "the VOD")
    for rendition in video["renditions"]:
        assert abs(duration_s(rendition["playlist_url"]) - streamed_s) <= 2, rendition
    sizes = sorted((s["width"], s["height"]) for s in streams if s["codec_type"] == "video")
    assert sizes == [(284, 160), (640, 360), (640, 360)]
    for rendition, variant in renditions.items():
        assert {s["codec_type"] for s in variant} == {"video", "audio"}, rendition
    source = next(s for s in renditions["src"] if s["codec_type"] == "video")
    assert (source["codec_name"], source["width"], source["height"]) == ("h264", 640, 360)
