"""Subscriptions and gifts told in chat: a frame on the JSON socket, and Twitch's USERNOTICE,
read by tmi.js, on IRC."""

from __future__ import annotations

import httpx

from tests.integration.node_clients import NodeClient, event
from tests.integration.oauth_helpers import signed_in
from tests.integration.subscribing import gift, subscribe
from tests.integration.test_chat import frames, join
from tests.integration.test_chat_history import owner_and_fan
from tests.running import RunningPlatform


def test_a_subscription_and_a_gift_are_told_to_json_and_irc_clients(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    gifter, lucky = signed_in(api, "gifter"), signed_in(api, "lucky")
    channel = streamer.username
    tmi = NodeClient("tmi_session.js", {"host": platform.settings.gateway_host,
                                        "port": int(platform.base_url.rsplit(":", 1)[1]),
                                        "channel": channel})
    try:
        tmi.until(event("roomstate"), "the room's state")
        with join(platform.base_url, channel) as ws:
            assert subscribe(api, fan, channel, 2000).status_code == 201
            assert gift(api, gifter, channel, recipient=lucky.username).status_code == 201
            sub, given = frames(ws, "subscription", 2)
            subscribed = tmi.until(event("subscription"), "the subscription")
            gifted = tmi.until(event("subgift"), "the gift")
    finally:
        tmi.close()
    assert (sub["kind"], sub["username"], sub["tier"], sub["months"]) == (
        "sub", fan.username, "2000", 1)
    assert (given["kind"], given["username"], given["recipient"]["username"]) == (
        "subgift", gifter.username, lucky.username)
    assert (subscribed["username"], subscribed["plan"]) == (fan.username, "2000")
    assert (gifted["username"], gifted["recipient"], gifted["plan"]) == (
        gifter.username, lucky.username, "1000")
