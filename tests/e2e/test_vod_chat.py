"""A VOD's chat replay: messages posted while a real ffmpeg stream was live come back in order
with their offsets into the video, from any offset, a page at a time; a deleted one stays
hidden."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.conftest import Streamer, is_live
from tests.e2e.publisher import publish
from tests.e2e.test_vods import STREAM_S, videos
from tests.integration.test_chat import frames, join
from tests.running import RunningPlatform
from tests.waiting import until


def replay(api: httpx.Client, video_id: str, **params: Any) -> dict[str, Any]:
    answer = api.get(f"/api/v1/videos/{video_id}/chat", params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_chat_replays_beside_its_vod(
    platform: RunningPlatform, api: httpx.Client, streamer: Streamer, logs: Path,
) -> None:
    name, host = streamer.account.username, streamer.account
    publisher = publish(streamer.server, streamer.key, logs / "obs.log", seconds=STREAM_S)
    until(lambda: is_live(api, name), bool, 30, "the channel to go live")
    posted = []
    with join(platform.base_url, name, host) as chat:
        # One at a time: chat history keeps milliseconds, and lines of one millisecond come
        # back in id order.
        for text in ("first", "second", "rude", "third"):
            chat.send(json.dumps({"type": "message", "text": text}))
            posted += frames(chat, "message", 1)
    deleted = api.delete(f"/api/v1/channels/{name}/chat/messages/{posted[2]['id']}",
                         headers=host.auth)
    assert deleted.status_code == 200, deleted.text
    assert publisher.wait(STREAM_S + 30) == 0
    [video] = until(lambda: videos(api, name).json()["data"], bool, 60, "the VOD")
    whole = until(lambda: replay(api, video["id"]),
                  lambda body: [m["text"] for m in body["data"]] == ["first", "second", "third"],
                  30, "the replay without the deleted message")["data"]
    offsets = [m["offset_s"] for m in whole]
    assert offsets == sorted(offsets)
    assert all(0 <= offset <= video["duration_s"] + 2 for offset in offsets)
    later = replay(api, video["id"], offset_s=whole[1]["offset_s"])["data"]
    assert [m["text"] for m in later] == ["second", "third"]
    first_page = replay(api, video["id"], first=2)
    rest = replay(api, video["id"], first=2, after=first_page["pagination"]["cursor"])
    assert [m["text"] for m in first_page["data"] + rest["data"]] == ["first", "second", "third"]
    assert rest["pagination"]["cursor"] is None
    for bad in ({"offset_s": -1}, {"after": "nonsense"}, {"first": 0}):
        assert api.get(f"/api/v1/videos/{video['id']}/chat", params=bad).status_code == 400
    assert api.get("/api/v1/videos/7c4c0c6e-0000-4000-8000-000000000000/chat").status_code == 404
