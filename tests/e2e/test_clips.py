"""Clips: a real ffmpeg stream clipped while live and, once it is a VOD, clipped again; each
clip an MP4 as long as asked within a keyframe interval (2 s), ClipCreated on the log, listed
per channel, read by id, its views counted, deleted by its broadcaster or its creator; and the
clips that cannot be cut refused."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from config.settings import Settings
from events.clips import ClipCreated
from events.codec import Codec
from tests.e2e.conftest import Streamer, is_live
from tests.e2e.publisher import publish
from tests.integration.log_watch import LogWatch
from tests.integration.oauth_helpers import WEB_CLIENT, Account, signed_in
from tests.integration.test_analytics_sink import clickhouse
from tests.waiting import until

STREAM_S = 16
KEYFRAME_S = 2  # the publisher's -g 60 at 30 fps


def duration_s(url: str) -> float:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type",
         "-of", "json", url], capture_output=True, text=True, timeout=30, check=True)
    probed = json.loads(result.stdout)
    assert {s["codec_type"] for s in probed["streams"]} == {"video", "audio"}, probed
    return float(probed["format"]["duration"])


def cut(api: httpx.Client, accepted: httpx.Response, asked_s: float) -> dict[str, Any]:
    """The clip once the worker has cut it, its file probed."""
    assert accepted.status_code == 202, accepted.text
    url, position = f"/api/v1/clips/{accepted.json()['data']['id']}", accepted.json()["position"]
    first = api.get(url, params={"min_position": position})
    assert first.status_code == 200, first.text
    clip: dict[str, Any] = until(lambda: api.get(url).json()["data"],
                                 lambda c: c["status"] != "pending", 60, "the clip to be cut")
    assert clip["status"] == "ready", clip
    assert abs(clip["duration_s"] - asked_s) <= KEYFRAME_S, clip
    assert abs(duration_s(clip["url"]) - asked_s) <= KEYFRAME_S, clip
    return clip


def refused(answer: httpx.Response, status: int, error: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error, answer.text


def live_refusals(api: httpx.Client, viewer: Account, name: str) -> None:
    url = f"/api/v1/channels/{name}/clips"
    refused(api.post(url, json={"duration_s": 4}, headers=viewer.auth), 422, "clip_too_short")
    refused(api.post(url, json={"duration_s": 61}, headers=viewer.auth), 422, "clip_too_long")
    refused(api.post(url, json={"duration_s": 20, "offset_s": 80}, headers=viewer.auth),
            422, "out_of_window")
    assert api.post(url, json={"duration_s": 10}).status_code == 401
    assert api.post(f"/api/v1/channels/no_{uuid4().hex[:8]}/clips", json={"duration_s": 10},
                    headers=viewer.auth).status_code == 404


def clipped_live(api: httpx.Client, viewer: Account, name: str) -> httpx.Response:
    """6 s of the live stream, once it has streamed that long."""
    def attempt() -> httpx.Response:
        return api.post(f"/api/v1/channels/{name}/clips",
                        json={"duration_s": 6, "title": "what a play"}, headers=viewer.auth)

    return until(attempt, lambda a: a.status_code != 422, 30, "6 s of stream to clip")


def clipped_vod(api: httpx.Client, viewer: Account, name: str) -> httpx.Response:
    video = until(lambda: api.get(f"/api/v1/channels/{name}/videos").json()["data"], bool, 90,
                  "the VOD to be listed")[0]
    url = f"/api/v1/videos/{video['id']}/clips"
    refused(api.post(url, json={"start_s": video["duration_s"] - 3, "duration_s": 5},
                     headers=viewer.auth), 422, "out_of_window")
    refused(api.post(f"/api/v1/videos/{uuid4()}/clips", json={"start_s": 0, "duration_s": 5},
                     headers=viewer.auth), 404, "not_found")
    return api.post(url, json={"start_s": 3, "duration_s": 5}, headers=viewer.auth)


def counted_views(api: httpx.Client, clip_id: str) -> None:
    tokens = [api.post(f"/api/v1/clips/{clip_id}/player-sessions").json()["data"]["player_token"]
              for _ in range(2)]
    positions = []
    for token in (tokens[0], tokens[0], tokens[1]):
        beat = api.post(f"/api/v1/clips/{clip_id}/heartbeat", json={"player_token": token})
        assert beat.status_code == 202, beat.text
        positions.append(beat.json()["position"])
    assert api.post(f"/api/v1/clips/{uuid4()}/heartbeat",
                    json={"player_token": tokens[0]}).status_code == 403
    read = api.get(f"/api/v1/clips/{clip_id}", params={"min_position": positions[-1]})
    assert read.json()["data"]["view_count"] == 2


def listed(api: httpx.Client, name: str, newest_first: list[str]) -> None:
    """Newest first, a page at a time."""
    first = api.get(f"/api/v1/channels/{name}/clips", params={"first": 2}).json()
    assert [c["id"] for c in first["data"]] == newest_first[:2]
    rest = api.get(f"/api/v1/channels/{name}/clips",
                   params={"first": 2, "after": first["pagination"]["cursor"]}).json()
    assert [c["id"] for c in rest["data"]] == newest_first[2:]
    assert rest["pagination"]["cursor"] is None


def helix_clipped(api: httpx.Client, viewer: Account, name: str) -> str:
    """Helix Create Clip answers the clip's id at once; Get Clips shows it once cut, by id
    and by broadcaster, in Twitch's fields."""
    headers = {**viewer.auth, "Client-Id": WEB_CLIENT}
    [user] = api.get("/helix/users", params={"login": name}, headers=headers).json()["data"]
    created = api.post("/helix/clips", params={"broadcaster_id": user["id"], "duration": 5},
                       headers=headers)
    assert created.status_code == 202, created.text
    [clip] = created.json()["data"]
    assert clip["edit_url"].endswith(f"/clips/{clip['id']}")
    found = until(lambda: api.get("/helix/clips", params={"id": clip["id"]},
                                  headers=headers).json()["data"], bool, 60, "the Helix clip")
    shown = found[0]
    assert (shown["broadcaster_id"], shown["creator_name"]) == (user["id"], viewer.username)
    assert abs(shown["duration"] - 5) <= KEYFRAME_S, shown
    assert abs(duration_s(shown["embed_url"]) - 5) <= KEYFRAME_S, shown
    listed = api.get("/helix/clips", params={"broadcaster_id": user["id"]}, headers=headers)
    assert clip["id"] in [c["id"] for c in listed.json()["data"]]
    made_within(api, headers, user["id"], clip["id"])
    clip_id: str = clip["id"]
    return clip_id


def made_within(api: httpx.Client, headers: dict[str, str], broadcaster: str,
                clip_id: str) -> None:
    """Get Clips by when they were made: started_at to ended_at, or a week from started_at."""
    def ids(**window: str) -> list[str]:
        found = api.get("/helix/clips", params={"broadcaster_id": broadcaster, **window},
                        headers=headers)
        assert found.status_code == 200, found.text
        return [c["id"] for c in found.json()["data"]]

    now = datetime.now(UTC)
    assert clip_id in ids(started_at=(now - timedelta(hours=1)).isoformat())
    assert clip_id not in ids(started_at=(now - timedelta(days=9)).isoformat(),
                              ended_at=(now - timedelta(days=8)).isoformat())
    assert clip_id not in ids(started_at=(now + timedelta(hours=1)).isoformat())
    assert ids(started_at="9999-12-31T23:00:00Z") == []  # a week on is past any date: no error
    for bad in ({"ended_at": now.isoformat()}, {"started_at": "yesterday"},
                {"started_at": "2026-01-02T00:00:00"},
                {"started_at": now.isoformat(), "ended_at": (now - timedelta(1)).isoformat()}):
        refused = api.get("/helix/clips", params={"broadcaster_id": broadcaster, **bad},
                          headers=headers)
        assert refused.status_code == 400, (bad, refused.text)


def deleted(api: httpx.Client, broadcaster: Account, creator: Account,
            *clips: dict[str, Any]) -> None:
    """Another user may not delete a clip; its broadcaster and its creator may. A deleted clip
    is 404 and no longer listed, and its file goes."""
    other = signed_in(api, "oth")
    for clip, by in zip(clips, (broadcaster, creator), strict=True):
        url = f"/api/v1/clips/{clip['id']}"
        refused(api.delete(url, headers=other.auth), 403, "forbidden")
        gone = api.delete(url, headers=by.auth)
        assert gone.status_code == 202, gone.text
        assert api.get(url, params={"min_position": gone.json()["position"]}).status_code == 404
        refused(api.delete(url, headers=by.auth), 404, "not_found")
        file_url = str(clip["url"])
        until(lambda: httpx.get(file_url, timeout=30).status_code,  # noqa: B023 (awaited here)
              lambda status: status == 404, 30, "the clip's file to be removed")
    left = api.get(f"/api/v1/channels/{clips[0]['channel']}/clips").json()["data"]
    assert not {c["id"] for c in left} & {c["id"] for c in clips}


def test_a_viewer_clips_a_live_stream_and_its_vod(
    api: httpx.Client, settings: Settings, streamer: Streamer, logs: Path,
) -> None:
    name = streamer.account.username
    viewer = signed_in(api, "clp")
    watch = LogWatch(settings.kafka, Codec.from_settings(settings))
    start = watch.mark()
    refused(api.post(f"/api/v1/channels/{name}/clips", json={"duration_s": 10},
                     headers=viewer.auth), 422, "not_live")
    publisher = publish(streamer.server, streamer.key, logs / "obs.log", seconds=STREAM_S)
    until(lambda: is_live(api, name), bool, 30, "the channel to go live")
    live_refusals(api, viewer, name)
    live = cut(api, clipped_live(api, viewer, name), 6)
    live_id = live["id"]
    helix_id = helix_clipped(api, viewer, name)
    assert (live["title"], live["video_id"], live["channel"]) == ("what a play", None, name)
    assert publisher.wait(STREAM_S + 30) == 0
    vod = cut(api, clipped_vod(api, viewer, name), 5)
    assert vod["vod_offset_s"] == 3
    listed(api, name, [vod["id"], helix_id, live_id])
    counted_views(api, live_id)
    deleted(api, streamer.account, viewer, live, vod)
    try:
        records = watch.appended_since(start, frozenset({name.encode()})).events
    finally:
        watch.close()
    codec = Codec.from_settings(settings)
    created = [e for e in (codec.decode(bytes(r.value() or b"")) for r in records)
               if isinstance(e, ClipCreated)]
    assert sorted(e.clip_id for e in created) == sorted([live_id, helix_id, vod["id"]])
    assert all(e.object_key == f"vods/clips/{e.clip_id}/clip.mp4" for e in created)
    in_analytics(settings, name, live_id, vod["id"])


def in_analytics(settings: Settings, name: str, live_id: str, vod_id: str) -> None:
    """The requests land in ClickHouse, a live one's wall-clock start and a VOD one's none."""
    rows = until(lambda: clickhouse(
        settings, "SELECT clip_id, start_at IS NULL, video_id IS NULL FROM raw_clip_requested "
        "WHERE channel = %(c)s", {"c": name}), lambda r: len(r) == 3, 30, "the clip rows")
    kinds = {clip_id: (no_start, no_video) for clip_id, no_start, no_video in rows}
    assert (kinds[live_id], kinds[vod_id]) == ((0, 1), (1, 0))


def test_malformed_and_unknown_clip_ids_are_refused(api: httpx.Client) -> None:
    refused(api.get(f"/api/v1/clips/{uuid4()}"), 404, "not_found")
    answer = api.get("/api/v1/clips/nope")
    assert answer.status_code == 400
    assert answer.json()["field"] == "clip_id"
    assert api.get(f"/api/v1/channels/no_{uuid4().hex[:8]}/clips").status_code == 404
