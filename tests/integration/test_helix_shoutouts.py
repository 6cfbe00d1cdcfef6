"""Helix's Send a Shoutout driven by twitchAPI: the live channel's broadcaster shouts out
another, the shoutout frame reaches the channel's chat and channel.shoutout.create reaches
twitchAPI's EventSub socket; Twitch's refusals (offline, oneself, no such broadcaster, not on
the staff, the cooldowns)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import httpx
from twitchAPI.object.eventsub import ChannelShoutoutCreateEvent
from twitchAPI.type import AuthScope

from tests.integration.oauth_helpers import WEB_CLIENT, Account, signed_in
from tests.integration.test_chat import frames, join
from tests.integration.test_eventsub_ws import Received, eventsub_of
from tests.integration.test_helix_clients import twitch_as
from tests.integration.test_helix_money_clients import live
from tests.running import RunningPlatform

SCOPES = [AuthScope.MODERATOR_MANAGE_SHOUTOUTS, AuthScope.MODERATOR_READ_SHOUTOUTS]


def helix_id(api: httpx.Client, account: Account) -> str:
    found = api.get("/helix/users", headers={**account.auth, "Client-Id": WEB_CLIENT})
    return str(found.json()["data"][0]["id"])


def shout(api: httpx.Client, by: Account, sender: str, target: str, moderator: str
          ) -> httpx.Response:
    return api.post("/helix/chat/shoutouts", headers={**by.auth, "Client-Id": WEB_CLIENT},
                    params={"from_broadcaster_id": sender, "to_broadcaster_id": target,
                            "moderator_id": moderator})


async def shout_and_hear(base: str, streamer: Account, me: str, target: str
                         ) -> ChannelShoutoutCreateEvent:
    received = Received()
    async with twitch_as(base, streamer, SCOPES) as twitch, \
            eventsub_of(base, twitch) as eventsub:
        await eventsub.listen_channel_shoutout_create(me, me, received.callback)
        await twitch.send_a_shoutout(me, target, me)
        [event] = await received.wait_for(1)
    assert isinstance(event, ChannelShoutoutCreateEvent)
    return event


def test_twitchapi_shouts_out_a_broadcaster_in_a_live_chat(platform: RunningPlatform,
                                                           api: httpx.Client) -> None:
    streamer, target, other = (signed_in(api, p) for p in ("shout", "shouted", "shoutx"))
    me, them, stranger = (helix_id(api, a) for a in (streamer, target, other))
    offline = shout(api, streamer, me, them, me)
    assert (offline.status_code, offline.json()["message"]) == (
        400, "The broadcaster is not streaming live"), offline.text
    with live(api, platform, streamer), join(platform.base_url, streamer.username) as chat:
        told = asyncio.run(shout_and_hear(platform.base_url, streamer, me, them))
        [frame] = frames(chat, "shoutout", 1)
        refusals = refused(api, streamer, other, (me, them, stranger))
    event: Any = told.event
    assert (event.broadcaster_user_login, event.to_broadcaster_user_login,
            event.moderator_user_login) == (streamer.username, target.username,
                                            streamer.username)
    assert (event.cooldown_ends_at - event.started_at).total_seconds() == 120
    assert (event.target_cooldown_ends_at - event.started_at).total_seconds() == 3600
    assert (frame["channel"], frame["username"], frame["user_id"]) == (
        streamer.username, target.username, them)
    assert refusals == [400, 400, 403, 429, 429]


def refused(api: httpx.Client, streamer: Account, other: Account,
            ids: tuple[str, str, str]) -> list[int]:
    """Oneself, a broadcaster nobody is, a user not on the staff, then the same target and
    another within the two minutes."""
    me, them, stranger = ids
    return [shout(api, streamer, me, me, me).status_code,
            shout(api, streamer, me, str(uuid4()), me).status_code,
            shout(api, other, me, them, stranger).status_code,
            shout(api, streamer, me, them, me).status_code,
            shout(api, streamer, me, stranger, me).status_code]
