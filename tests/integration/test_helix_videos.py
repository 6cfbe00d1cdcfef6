"""Helix Get Videos and Delete Videos over Castline's VODs, driven by twitchAPI, and their
refusals in Twitch's shape."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
from twitchAPI.helper import first
from twitchAPI.type import AuthScope, VideoType

from config.settings import Settings
from events.codec import Codec
from events.producer import EventProducer
from events.vods import VodRecorded
from tests.integration.oauth_helpers import Account
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.test_helix_clients import twitch_as
from tests.integration.test_helix_refusals import helix, twitch_error
from tests.running import RunningPlatform
from tests.waiting import until


def recorded(api: httpx.Client, settings: Settings, channel: str, lengths_ms: list[int]
             ) -> list[str]:
    """Ids of VODs of the channel in Chess, as the VOD recorder appends them, oldest first,
    once read."""
    now = datetime.now(UTC)
    videos = [VodRecorded(channel=channel, video_id=str(uuid4()), session_id=str(uuid4()),
                          title="the helix videos", category="Chess",
                          started_at=now - timedelta(milliseconds=ms), ended_at=now,
                          duration_ms=ms, renditions=["src"]) for ms in lengths_ms]
    producer = EventProducer(settings.kafka, Codec.from_settings(settings).encode)
    try:
        positions = producer.send(videos)
    finally:
        producer.close()
    shown = api.get(f"/api/v1/videos/{videos[-1].video_id}",
                    params={"min_position": positions[-1].token})
    assert shown.status_code == 200, shown.text
    return [v.video_id for v in videos]


def streamer_in_chess(api: httpx.Client) -> tuple[Account, Account]:
    owner, fan = owner_and_fan(api)
    changed = api.patch(f"/api/v1/channels/{owner.username}", headers=owner.auth,
                        json={"category": "Chess", "language": "fr"})
    assert changed.status_code == 200, changed.text
    assert api.get(f"/api/v1/channels/{owner.username}",
                   params={"min_position": changed.json()["position"]}).status_code == 200
    return owner, fan


def test_twitchapi_pages_a_broadcasters_videos_and_finds_them_by_id_and_game(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    owner, fan = streamer_in_chess(api)
    oldest, middle, newest = recorded(api, platform.settings, owner.username,
                                      [5_000, 65_000, 3_723_000])

    async def scenario() -> None:
        async with twitch_as(platform.base_url, fan, []) as twitch:
            user = await first(twitch.get_users(logins=[owner.username]))
            assert user is not None
            videos = [v async for v in twitch.get_videos(user_id=user.id, first=2)]
            assert [v.id for v in videos] == [newest, middle, oldest]
            assert [v.duration for v in videos] == ["1h2m3s", "1m5s", "5s"]
            shown = videos[0]
            assert (shown.user_id, shown.user_login, shown.type, shown.language,
                    shown.viewable) == (user.id, owner.username, VideoType.ARCHIVE, "fr",
                                        "public")
            assert shown.url == f"{platform.base_url}/videos/{newest}"
            by_id = [v.id async for v in twitch.get_videos(ids=[oldest, newest])]
            assert by_id == [newest, oldest]
            chess = await first(twitch.get_games(names=["chess"]))
            assert chess is not None
            in_game = [v.id async for v in twitch.get_videos(game_id=chess.id, first=100)]
            assert {oldest, middle, newest} <= set(in_game)
            assert [v async for v in twitch.get_videos(user_id=user.id, language="en")] == []
            assert [v async for v in twitch.get_videos(
                user_id=user.id, video_type=VideoType.HIGHLIGHT)] == []

    asyncio.run(scenario())


def test_the_broadcaster_deletes_videos_and_others_are_refused(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    owner, fan = streamer_in_chess(api)
    kept, gone = recorded(api, platform.settings, owner.username, [10_000, 20_000])
    refused = api.delete("/helix/videos", params={"id": [kept, gone]}, headers=helix(fan))
    assert "only their own" in twitch_error(refused, 401)
    unknown = api.delete("/helix/videos", params={"id": [gone, str(uuid4())]},
                         headers=helix(owner))
    assert "no video" in twitch_error(unknown, 404)
    too_many = api.delete("/helix/videos", params={"id": [str(uuid4()) for _ in range(6)]},
                          headers=helix(owner))
    twitch_error(too_many, 400)

    async def scenario() -> None:
        async with twitch_as(platform.base_url, owner,
                             [AuthScope.CHANNEL_MANAGE_VIDEOS]) as twitch:
            assert await twitch.delete_videos([gone]) == [gone]

    asyncio.run(scenario())
    left = until(lambda: api.get("/helix/videos", params={"id": [kept, gone]},
                                 headers=helix(fan)).json()["data"],
                 lambda data: len(data) == 1, 30, "the deletion read back")
    assert [v["id"] for v in left] == [kept]


def test_get_videos_wants_exactly_one_filter(platform: RunningPlatform,
                                              api: httpx.Client) -> None:
    owner, _ = owner_and_fan(api)
    for params in ({}, {"id": str(uuid4()), "user_id": str(uuid4())},
                   {"user_id": "not-an-id"}, {"game_id": "chess"},
                   {"user_id": str(uuid4()), "sort": "views"},
                   {"user_id": str(uuid4()), "after": "not a cursor"}):
        twitch_error(api.get("/helix/videos", params=params, headers=helix(owner)), 400)
