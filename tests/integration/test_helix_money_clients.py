"""Helix's ads, subscriptions and bits endpoints driven by twitchAPI against Castline: a
commercial on a channel its decider knows is live, the schedule read back, a subscriber and a
cheer (sent in the chat) seen by the broadcaster's tools."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
from twitchAPI.type import AuthScope, TimePeriod

from config.shared_secrets import ingest_secret
from tests.integration.money import bought, with_channel
from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.subscribing import becomes, subscribe
from tests.integration.test_chat import frames, join
from tests.integration.test_helix_chat_clients import ids
from tests.integration.test_helix_clients import eventually, twitch_as
from tests.integration.test_ingest_callbacks import LIVE_CLIENT, callback
from tests.running import RunningPlatform

BROADCASTER = [AuthScope.CHANNEL_EDIT_COMMERCIAL, AuthScope.CHANNEL_READ_ADS,
               AuthScope.CHANNEL_READ_SUBSCRIPTIONS, AuthScope.BITS_READ]
FAN = [AuthScope.USER_READ_SUBSCRIPTIONS, AuthScope.USER_WRITE_CHAT]


@contextmanager
def live(api: httpx.Client, platform: RunningPlatform, streamer: Account) -> Iterator[None]:
    """The channel live as its decider knows it: the publish let in through the callback."""
    secret = ingest_secret(platform.settings)
    key = api.post(f"/api/v1/channels/{streamer.username}/stream-key", headers=streamer.auth)
    assert key.status_code == 201, key.text
    published = callback(api, "publish", secret, name=key.json()["data"]["stream_key"],
                         clientid=LIVE_CLIENT, addr="127.0.0.1")
    assert published.status_code == 302, published.text
    try:
        yield
    finally:
        callback(api, "publish_done", secret, name=streamer.username, clientid=LIVE_CLIENT)


def test_twitchapi_runs_a_commercial_and_reads_the_ad_schedule(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer = with_channel(api, "helixad")
    base = platform.base_url
    owner, _ = asyncio.run(ids(base, streamer, streamer))

    async def scenario() -> None:
        async with twitch_as(base, streamer, BROADCASTER) as twitch:
            before = await twitch.get_ad_schedule(owner)
            assert before.last_ad_at is None
            assert before.next_ad_at is not None  # 20 minutes after going live
            started = await twitch.start_commercial(owner, 30)
            assert (started.length, started.retry_after) == (
                30, 30 + platform.settings.ad_cooldown_s)
            after = await twitch.get_ad_schedule(owner)
            assert after.last_ad_at is not None
            assert after.next_ad_at == after.last_ad_at + timedelta(minutes=20)
            assert after.duration == 60

    with live(api, platform, streamer):
        scheduled = api.put(f"/api/v1/channels/{streamer.username}/ads/schedule",
                            json={"every_min": 20}, headers=streamer.auth)
        assert scheduled.status_code == 200, scheduled.text
        asyncio.run(scenario())


def test_twitchapi_sees_subscribers_and_the_bits_leaderboard(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = with_channel(api, "helixsub"), signed_in(api, "helixfan")
    base = platform.base_url
    owner, fan_id = asyncio.run(ids(base, streamer, fan))
    assert subscribe(api, fan, streamer.username).status_code == 201
    becomes(api, fan, streamer.username, "active")
    assert bought(api, fan, 100) == 100
    with join(base, streamer.username, fan) as chat:
        chat.send(json.dumps({"type": "message", "text": "cheer60 from the chat"}))
        assert frames(chat, "message", 1)[0]["bits"] == 60

    async def scenario() -> None:
        async with twitch_as(base, fan, FAN) as twitch:
            mine = await twitch.check_user_subscription(owner, fan_id)
            assert (mine.broadcaster_id, mine.tier, mine.is_gift) == (owner, "1000", False)
            # Through Helix a cheer word is only text: an app with user:write:chat spends
            # no bits. The cheer is the fan's own, from the chat.
            plain = await twitch.send_chat_message(owner, fan_id, "cheer60 through helix")
            assert plain.is_sent
        async with twitch_as(base, streamer, BROADCASTER) as twitch:
            subs = await twitch.get_broadcaster_subscriptions(owner)
            assert (subs.total, subs.points) == (1, 1)
            assert [(s.user_id, s.user_login, s.tier, s.is_gift) for s in subs.data] == [
                (fan_id, fan.username, "1000", False)]
            board = await eventually(lambda: twitch.get_bits_leaderboard(),
                                     lambda found: found.total == 1, "the cheer")
            assert [(e.user_id, e.rank, e.score) for e in board.data] == [(fan_id, 1, 60)]
            today = await twitch.get_bits_leaderboard(period=TimePeriod.DAY)
            assert [e.score for e in today.data] == [60]
            assert today.date_range.started_at is not None

    asyncio.run(scenario())
