"""A stream published by ffmpeg, as OBS would, and a chat line, told to twitchAPI's
EventSubWebsocket: stream.online when the stream goes live, then channel.chat.message."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.e2e.conftest import Streamer, is_live
from tests.e2e.publisher import publish
from tests.integration.oauth_helpers import signed_in
from tests.integration.test_eventsub_ws import receive_online_and_chat
from tests.running import RunningPlatform
from tests.waiting import until


def test_twitchapi_is_told_of_an_ffmpeg_stream_and_a_chat_message(
    platform: RunningPlatform, api: httpx.Client, streamer: Streamer, logs: Path,
    publishers: list[subprocess.Popen[bytes]],
) -> None:
    name, fan = streamer.account.username, signed_in(api, "fan")

    @contextmanager
    def go_live() -> Iterator[None]:
        publishers.append(publish(streamer.server, streamer.key, logs / "obs.log"))
        until(lambda: is_live(api, name), bool, 20, "the channel to go live")
        yield

    online, chat = asyncio.run(receive_online_and_chat(platform.base_url, streamer.account,
                                                       fan, go_live))
    assert (online.event.broadcaster_user_login, online.event.type) == (name, "live")
    assert (chat.event.chatter_user_login, chat.event.message.text) == (
        fan.username, "hello eventsub")
