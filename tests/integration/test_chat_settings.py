"""The chat modes in force are public: all off at first, then as the last change left them."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.money import with_channel
from tests.waiting import until

OFF = {"slow_mode_s": 0, "followers_only_s": None, "subscriber_only": False,
       "emote_only": False}


def modes(api: httpx.Client, channel: str) -> dict[str, Any]:
    answer = api.get(f"/api/v1/channels/{channel}/chat/settings")
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    assert data.pop("channel") == channel
    return data


def read_back(api: httpx.Client, channel: str, wanted: dict[str, Any]) -> None:
    until(lambda: modes(api, channel), lambda found: found == wanted, 30,
          "the modes to be read back")


def test_the_modes_in_force_are_read_back(api: httpx.Client) -> None:
    streamer = with_channel(api, "modes")
    channel = streamer.username
    assert modes(api, channel) == OFF
    for wanted in ({"slow_mode_s": 30, "followers_only_s": 600, "subscriber_only": True,
                    "emote_only": False},
                   {**OFF, "emote_only": True}):
        changed = api.put(f"/api/v1/channels/{channel}/chat/settings", json=wanted,
                          headers=streamer.auth)
        assert changed.status_code == 200, changed.text
        read_back(api, channel, wanted)


def test_an_unknown_channel_has_no_modes(api: httpx.Client) -> None:
    answer = api.get("/api/v1/channels/nobody_here_at_all/chat/settings")
    assert answer.status_code == 404
    assert answer.json()["error"] == "channel_not_found"
