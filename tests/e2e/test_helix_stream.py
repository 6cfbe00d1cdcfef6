"""A stream published by ffmpeg, as OBS would, seen through Helix by twitchAPI: live while it
publishes, gone once it stops."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from pathlib import Path

import httpx
from twitchAPI.object.api import Stream

from castline.processes import stop
from tests.e2e.conftest import Streamer, is_live
from tests.e2e.publisher import publish
from tests.integration.oauth_helpers import WEB_CLIENT
from tests.integration.test_helix_clients import twitch_as
from tests.running import RunningPlatform
from tests.waiting import until


def test_twitchapi_sees_an_ffmpeg_stream_live_then_gone(
    platform: RunningPlatform, api: httpx.Client, streamer: Streamer, logs: Path,
    publishers: list[subprocess.Popen[bytes]],
) -> None:
    name, account = streamer.account.username, streamer.account
    publishers.append(publish(streamer.server, streamer.key, logs / "obs.log"))
    until(lambda: is_live(api, name), bool, 20, "the channel to go live")

    async def streams() -> list[Stream]:
        async with twitch_as(platform.base_url, account, []) as twitch:
            return [s async for s in twitch.get_streams(user_login=[name])]

    [stream] = asyncio.run(streams())
    assert (stream.user_login, stream.type) == (name, "live")
    assert stream.thumbnail_url.endswith(f"/{name}-{{width}}x{{height}}.jpg")
    stop(publishers.pop(), signal.SIGINT, grace_s=5)
    helix = {**account.auth, "Client-Id": WEB_CLIENT}
    until(lambda: api.get("/helix/streams", params={"user_login": name}, headers=helix).json(),
          lambda page: page["data"] == [], 20, "the stream to leave Helix")
