"""VODs: a real ffmpeg stream, once ended, is a VOD of every rendition whose duration is the
stream's, in the local store and in an S3 bucket (the stack's S3-API server), where a clip of
it is cut and stored too; listed per channel, read by id, deleted by its broadcaster only, its
files gone."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from config.settings import Settings
from stores.objects import s3_client
from tests.e2e.conftest import Streamer, is_live
from tests.e2e.publisher import probe, publish
from tests.e2e.test_clips import cut
from tests.integration.oauth_helpers import signed_in
from tests.integration.test_bench_smoke import free_port
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until

STREAM_S = 9
RENDITIONS = ["src", "360p", "160p"]
S3_ENV = {"CASTLINE_VOD_STORE": "s3", "CASTLINE_IRC_PORT": "0"}


def duration_s(url: str) -> float:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", url],
        capture_output=True, text=True, timeout=30, check=True)
    return float(json.loads(result.stdout)["format"]["duration"])


def videos(api: httpx.Client, channel: str, **params: Any) -> httpx.Response:
    return api.get(f"/api/v1/channels/{channel}/videos", params=params)


def recorded_and_playable(api: httpx.Client, streamer: Streamer, logs: Path) -> dict[str, Any]:
    """Streams STREAM_S seconds to its end; the VOD the API then lists, every rendition of it
    probed: as long as the stream, within 2 s."""
    name = streamer.account.username
    publisher = publish(streamer.server, streamer.key, logs / "obs.log", seconds=STREAM_S)
    until(lambda: is_live(api, name), bool, 30, "the channel to go live")
    assert publisher.wait(STREAM_S + 30) == 0
    found = until(lambda: videos(api, name).json()["data"], bool, 60, "the VOD to be listed")
    assert len(found) == 1
    listed: dict[str, Any] = found[0]
    assert [r["name"] for r in listed["renditions"]] == RENDITIONS
    assert listed["channel"] == name
    assert listed["view_count"] == 0
    assert abs(listed["duration_s"] - STREAM_S) <= 2, listed
    assert api.get(f"/api/v1/videos/{listed['id']}").json()["data"] == listed
    master = probe(listed["playlist_url"])
    sizes = sorted((s["width"], s["height"]) for s in master if s["codec_type"] == "video")
    assert sizes == [(284, 160), (640, 360), (640, 360)]
    for rendition in listed["renditions"]:
        seconds = duration_s(rendition["playlist_url"])
        assert abs(seconds - STREAM_S) <= 2, (rendition["name"], seconds)
        streams = probe(rendition["playlist_url"])
        assert {s["codec_type"] for s in streams} == {"video", "audio"}, rendition
    return listed


def player_token(api: httpx.Client, video_id: str) -> str:
    issued = api.post(f"/api/v1/videos/{video_id}/player-sessions")
    assert issued.status_code == 201, issued.text
    token: str = issued.json()["data"]["player_token"]
    return token


def counted_views(api: httpx.Client, video: dict[str, Any]) -> None:
    """Each player session is one view, however many heartbeats it sends; a token of another
    video or of a live channel counts nothing."""
    url = f"/api/v1/videos/{video['id']}/heartbeat"
    first, second = player_token(api, video["id"]), player_token(api, video["id"])
    positions = []
    for token in (first, first, second):
        beat = api.post(url, json={"player_token": token, "quality": "360p"})
        assert beat.status_code == 202, beat.text
        positions.append(beat.json()["position"])
    assert api.post(f"/api/v1/videos/{uuid4()}/heartbeat",
                    json={"player_token": first}).status_code == 403
    live = api.post(f"/api/v1/channels/{video['channel']}/player-sessions")
    assert live.status_code == 409  # offline: no live token for it
    read = api.get(f"/api/v1/videos/{video['id']}", params={"min_position": positions[-1]})
    assert read.json()["data"]["view_count"] == 2


def deleted_by_its_broadcaster(api: httpx.Client, streamer: Streamer, video: dict[str, Any],
                               files_gone: Callable[[], bool]) -> None:
    other = signed_in(api, "oth")
    url = f"/api/v1/videos/{video['id']}"
    assert api.delete(url, headers=other.auth).status_code == 403
    assert api.delete(url).status_code == 401
    deleted = api.delete(url, headers=streamer.account.auth)
    assert deleted.status_code == 202, deleted.text
    position = deleted.json()["position"]
    assert api.get(url, params={"min_position": position}).status_code == 404
    assert videos(api, streamer.account.username).json()["data"] == []
    until(files_gone, bool, 30, "the VOD's files to be removed")
    assert api.delete(url, headers=streamer.account.auth).status_code == 404


def test_an_ended_stream_is_a_vod_of_every_rendition_and_its_broadcaster_deletes_it(
    api: httpx.Client, streamer: Streamer, logs: Path,
) -> None:
    video = recorded_and_playable(api, streamer, logs)
    assert video["playlist_url"].startswith("http://127.0.0.1:")
    counted_views(api, video)

    def gone() -> bool:
        return httpx.get(video["playlist_url"], timeout=CLIENT_TIMEOUT_S).status_code == 404

    deleted_by_its_broadcaster(api, streamer, video, gone)


@pytest.fixture
def s3_platform(platform: RunningPlatform) -> Iterator[httpx.Client]:
    """The worker storing VODs in S3 for one test, and a gateway that gives their URLs."""
    platform.stop_worker()
    try:
        platform.start_worker(S3_ENV)
        platform.wait_serving()
        port = free_port(platform.settings.gateway_host)
        with platform.extra_gateway(port, S3_ENV) as url, \
                httpx.Client(base_url=url, timeout=CLIENT_TIMEOUT_S) as client:
            yield client
    finally:
        platform.stop_worker()
        platform.start_worker()
        platform.wait_serving()


def test_with_the_s3_store_the_vod_lands_in_the_bucket_and_leaves_it(
    s3_platform: httpx.Client, settings: Settings, streamer: Streamer, logs: Path,
) -> None:
    video = recorded_and_playable(s3_platform, streamer, logs)
    prefix = f"vods/{video['id']}/"
    assert video["playlist_url"] == f"{settings.s3}/{settings.s3_bucket}/{prefix}master.m3u8"
    bucket = s3_client(settings)

    def keys() -> set[str]:
        listed = bucket.list_objects_v2(Bucket=settings.s3_bucket, Prefix=prefix)
        return {item["Key"].removeprefix(prefix) for item in listed.get("Contents", [])}

    assert {"master.m3u8", *(f"{r}/index.m3u8" for r in RENDITIONS)} <= keys()
    clipped_in_the_bucket(s3_platform, settings, video)
    deleted_by_its_broadcaster(s3_platform, streamer, video, lambda: not keys())


def clipped_in_the_bucket(api: httpx.Client, settings: Settings, video: dict[str, Any]) -> None:
    """A clip of the VOD, cut from its source rendition in the bucket, stored there too."""
    viewer = signed_in(api, "clp")
    clip = cut(api, api.post(f"/api/v1/videos/{video['id']}/clips",
                             json={"start_s": 2, "duration_s": 5}, headers=viewer.auth), 5)
    key = f"vods/clips/{clip['id']}/clip.mp4"
    assert clip["url"] == f"{settings.s3}/{settings.s3_bucket}/{key}"
    stored = s3_client(settings).head_object(Bucket=settings.s3_bucket, Key=key)
    assert stored["ContentType"] == "video/mp4", stored


def test_unknown_and_malformed_video_ids_and_channels_are_refused(api: httpx.Client) -> None:
    unknown = f"/api/v1/videos/{uuid4()}"
    assert api.get(unknown).json()["error"] == "not_found"
    assert api.get(unknown).status_code == 404
    for bad in ("nope", "1234"):
        answer = api.get(f"/api/v1/videos/{bad}")
        assert answer.status_code == 400, (bad, answer.text)
        assert answer.json()["field"] == "video_id"
    assert api.get("/api/v1/videos/%00").status_code == 400
    assert videos(api, f"no_{uuid4().hex[:8]}").status_code == 404
    account = signed_in(api, "del")
    assert api.delete(unknown, headers=account.auth).status_code == 404
    assert api.delete("/api/v1/videos/nope", headers=account.auth).status_code == 400
    answer = videos(api, account.username, after="garbage")
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_cursor"
