"""@twurple/api and @twurple/eventsub-ws, written for Twitch, against Castline: pointed at it as
at the Twitch CLI's mock API (its EventSub WebSocket at /ws), they read a user, change a
channel's title, see a stream, and are told over EventSub when the channel goes live and a
chat line is posted."""

from __future__ import annotations

import json

import httpx

from tests.integration.node_clients import NodeClient, event
from tests.integration.oauth_helpers import WEB_CLIENT
from tests.integration.test_chat import join
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.watching import live_by_event
from tests.running import RunningPlatform


def test_twurple_reads_changes_and_hears_eventsub(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, _ = owner_and_fan(api)
    port = platform.base_url.rsplit(":", 1)[1]
    twurple = NodeClient("twurple_api.mjs", {
        "clientId": WEB_CLIENT, "token": streamer.access_token, "login": streamer.username,
    }, {"TWURPLE_MOCK_API_PORT": port,
        # twurple dials "localhost"; the gateway listens on IPv4 loopback only.
        "NODE_OPTIONS": "--dns-result-order=ipv4first"})
    try:
        me = twurple.until(event("user"), "the user", timeout_s=60)
        assert me["name"] == streamer.username
        for _ in range(2):
            twurple.until(event("subscribed"), "an EventSub subscription")
        twurple.send(title="set by twurple")
        assert twurple.until(event("channel"), "the channel")["title"] == "set by twurple"
        with live_by_event(api, platform.settings, [streamer.username]):
            online = twurple.until(event("stream.online"), "stream.online")
            assert (online["broadcaster"], online["type"]) == (streamer.username, "live")
            twurple.send(stream=True)
            assert twurple.until(event("stream"), "the stream")["type"] == "live"
            with join(platform.base_url, streamer.username, streamer) as chat:
                chat.send(json.dumps({"type": "message", "text": "hello twurple"}))
                said = twurple.until(event("channel.chat.message"), "the chat line")
            assert (said["text"], said["chatter"]) == ("hello twurple", streamer.username)
    finally:
        twurple.close()
