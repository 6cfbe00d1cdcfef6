"""Subscribers in chat over the WebSocket: the tier's badge on their messages, and
subscriber-only mode that lets subscribers, the broadcaster and moderators talk."""

from __future__ import annotations

import httpx

from tests.integration.money import with_channel
from tests.integration.oauth_helpers import signed_in
from tests.integration.subscribing import subscribe, subscription_to
from tests.integration.test_chat import frames, join
from tests.integration.test_cheers import delivered, say
from tests.running import RunningPlatform


def test_subscribers_wear_their_tier_and_talk_in_subscriber_only_chat(
        platform: RunningPlatform, api: httpx.Client) -> None:
    streamer, fan, stranger = (with_channel(api, "subchat"), signed_in(api, "subfan"),
                               signed_in(api, "stranger"))
    subscribed = subscribe(api, fan, streamer.username, 3000)
    assert subscribed.status_code == 201, subscribed.text
    assert subscription_to(api, fan, streamer.username, subscribed.json()["position"])
    settings = f"/api/v1/channels/{streamer.username}/chat/settings"
    with join(platform.base_url, streamer.username) as watcher, \
            join(platform.base_url, streamer.username, fan) as sub, \
            join(platform.base_url, streamer.username, stranger) as other, \
            join(platform.base_url, streamer.username, streamer) as owner:
        assert say(sub, "hello as a subscriber")["type"] == "ack"
        assert say(other, "hello as a viewer")["type"] == "ack"
        [badged, plain] = delivered(watcher, 2)
        assert (badged["badges"], plain["badges"]) == (["subscriber/3000"], [])
        changed = api.put(settings, json={"subscriber_only": True}, headers=streamer.auth)
        assert changed.status_code == 200, changed.text
        frames(other, "modes", 1)
        assert say(other, "let me in")["reason"] == "subscribers_only"
        assert say(sub, "still here")["type"] == "ack"
        assert say(owner, "my own chat")["type"] == "ack"
        [still, own] = delivered(watcher, 2)
    assert (still["text"], still["badges"]) == ("still here", ["subscriber/3000"])
    assert own["badges"] == ["broadcaster"]
