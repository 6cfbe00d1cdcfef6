"""The Helix API driven by twitchAPI, a client library nobody here wrote, pointed at Castline by
its base URLs alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import httpx
from twitchAPI.helper import first
from twitchAPI.twitch import Twitch
from twitchAPI.type import AuthScope

from tests.integration.oauth_helpers import WEB_CLIENT, Account
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.watching import live_by_event
from tests.running import RunningPlatform

TIMEOUT_S = 20.0
T = TypeVar("T")


@asynccontextmanager
async def twitch_as(base_url: str, account: Account,
                    scopes: list[AuthScope]) -> AsyncIterator[Twitch]:
    """twitchAPI's client with the account's token, as a tool holding a user's token would."""
    twitch = await Twitch(WEB_CLIENT, authenticate_app=False, base_url=f"{base_url}/helix/",
                          auth_base_url=f"{base_url}/oauth2/")
    try:
        await twitch.set_user_authentication(account.access_token, scopes,
                                             account.refresh_token)
        yield twitch
    finally:
        await twitch.close()


async def eventually(probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool],
                     what: str) -> T:
    deadline = asyncio.get_running_loop().time() + TIMEOUT_S
    while True:
        value = await probe()
        if accept(value):
            return value
        if asyncio.get_running_loop().time() >= deadline:
            raise AssertionError(f"no {what} within {TIMEOUT_S} s; last: {value!r}")
        await asyncio.sleep(0.05)


def test_twitchapi_reads_users_and_games_and_changes_channel_information(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)

    async def scenario() -> None:
        async with twitch_as(platform.base_url, streamer,
                             [AuthScope.CHANNEL_MANAGE_BROADCAST]) as twitch:
            me = await first(twitch.get_users())
            assert me is not None
            assert me.login == streamer.username
            other = await first(twitch.get_users(logins=[fan.username.upper()]))
            assert other is not None
            assert other.login == fan.username
            chess = await first(twitch.get_games(names=["chess"]))
            assert chess is not None
            assert chess.name == "Chess"
            by_id = await first(twitch.get_games(game_ids=[chess.id]))
            assert by_id is not None
            assert by_id.name == "Chess"
            assert await twitch.modify_channel_information(
                me.id, title="helix says hello", game_id=chess.id, tags=["helix"])
            info = await eventually(
                lambda: twitch.get_channel_information(me.id),
                lambda found: len(found) == 1 and found[0].title == "helix says hello",
                "the new title")
            assert (info[0].broadcaster_login, info[0].game_id, info[0].game_name,
                    info[0].tags) == (streamer.username, chess.id, "Chess", ["helix"])
            found = [c async for c in twitch.search_categories("ches")]
            assert (chess.id, "Chess") in [(c.id, c.name) for c in found]
            top = [g async for g in twitch.get_top_games(first=100)]
            assert chess.id in [g.id for g in top]

    asyncio.run(scenario())


def test_twitchapi_sees_a_live_stream_and_finds_its_channel(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    changed = api.patch(f"/api/v1/channels/{streamer.username}", headers=streamer.auth,
                        json={"category": "Celeste", "language": "fr"})
    assert changed.status_code == 200, changed.text
    assert api.get(f"/api/v1/channels/{streamer.username}",
                   params={"min_position": changed.json()["position"]}).status_code == 200

    async def scenario() -> None:
        async with twitch_as(platform.base_url, fan, []) as twitch:
            owner = await first(twitch.get_users(logins=[streamer.username]))
            assert owner is not None
            assert [s async for s in twitch.get_streams(user_id=[owner.id])] == []
            with live_by_event(api, platform.settings, [streamer.username]):
                streams = [s async for s in twitch.get_streams(
                    user_login=[streamer.username], stream_type="live")]
                assert [(s.user_id, s.user_login, s.type) for s in streams] == [
                    (owner.id, streamer.username, "live")]
                assert (streams[0].game_name, streams[0].language) == ("Celeste", "fr")
                assert "{width}x{height}" in streams[0].thumbnail_url
                game = streams[0].game_id
                in_game = [s.user_login async for s in twitch.get_streams(
                    game_id=[game], language=["fr"], first=100)]
                assert streamer.username in in_game
                hits = [c async for c in twitch.search_channels(streamer.username,
                                                                live_only=True)]
                assert [(c.id, c.is_live, c.game_id) for c in hits] == [(owner.id, True, game)]

    asyncio.run(scenario())


def test_twitchapi_lists_followers_to_the_broadcaster_and_follows_to_the_follower(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    followed = api.post(f"/api/v1/channels/{streamer.username}/follow", headers=fan.auth)
    assert followed.status_code == 202, followed.text
    base = platform.base_url

    async def scenario() -> None:
        async with twitch_as(base, streamer, [AuthScope.MODERATOR_READ_FOLLOWERS]) as twitch:
            me = await first(twitch.get_users())
            assert me is not None
            listed = await eventually(lambda: twitch.get_channel_followers(me.id),
                                      lambda found: found.total == 1, "the follower")
            assert [f.user_login for f in listed.data] == [fan.username]
            fan_id = listed.data[0].user_id
        async with twitch_as(base, fan, [AuthScope.USER_READ_FOLLOWS]) as twitch:
            follows = await twitch.get_followed_channels(fan_id)
            assert (follows.total, [c.broadcaster_id for c in follows.data]) == (1, [me.id])
            outsider = await twitch.get_channel_followers(me.id)
            assert (outsider.total, outsider.data) == (1, [])
            own = await twitch.get_channel_followers(me.id, user_id=fan_id)
            assert [f.user_id for f in own.data] == [fan_id]
            # Whether another user follows is not told: naming one gives the channel's total.
            nosy = await twitch.get_channel_followers(me.id, user_id=me.id)
            assert (nosy.total, nosy.data) == (1, [])

    asyncio.run(scenario())
