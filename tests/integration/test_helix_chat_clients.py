"""Helix's chat and moderation endpoints driven by twitchAPI against Castline, each effect seen
where Castline shows it: on a chat socket, in the next message's fate, in the read models."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from twitchAPI.helper import first
from twitchAPI.twitch import Twitch
from twitchAPI.type import AuthScope, ForbiddenError

from tests.integration.oauth_helpers import Account
from tests.integration.test_chat import collect, frames, join
from tests.integration.test_chat_history import history, owner_and_fan
from tests.integration.test_helix_clients import eventually, twitch_as
from tests.integration.test_helix_refusals import helix
from tests.integration.watching import beat, live_by_event, player
from tests.running import RunningPlatform
from tests.waiting import until

CHAT = [AuthScope.USER_WRITE_CHAT]
MODERATION = [AuthScope.MODERATOR_MANAGE_BANNED_USERS, AuthScope.MODERATOR_MANAGE_CHAT_MESSAGES,
              AuthScope.MODERATOR_MANAGE_CHAT_SETTINGS, AuthScope.MODERATOR_READ_CHAT_SETTINGS,
              AuthScope.MODERATOR_READ_CHATTERS, AuthScope.MODERATION_READ,
              AuthScope.CHANNEL_MANAGE_MODERATORS, *CHAT]


async def user_id(twitch: Twitch) -> str:
    me = await first(twitch.get_users())
    assert me is not None
    return me.id


async def ids(base: str, streamer: Account, fan: Account) -> tuple[str, str]:
    async with twitch_as(base, streamer, []) as twitch:
        owner = await user_id(twitch)
    async with twitch_as(base, fan, []) as twitch:
        return owner, await user_id(twitch)


def cast(platform: RunningPlatform, api: httpx.Client) -> tuple[Account, Account, str, str]:
    """A broadcaster and a fan, with their Helix user ids."""
    streamer, fan = owner_and_fan(api)
    return streamer, fan, *asyncio.run(ids(platform.base_url, streamer, fan))


def test_twitchapi_sends_moderates_and_changes_the_chat(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan, owner, fan_id = cast(platform, api)
    base = platform.base_url

    async def send(account: Account, text: str) -> tuple[bool, str, str]:
        async with twitch_as(base, account, CHAT) as twitch:
            sent = await twitch.send_chat_message(owner, await user_id(twitch), text)
        code = sent.drop_reason.code if sent.drop_reason else ""
        return sent.is_sent, sent.message_id, code

    async def moderate() -> tuple[str, str]:
        async with twitch_as(base, streamer, MODERATION) as twitch:
            ban = await twitch.ban_user(owner, owner, fan_id, "spam")
            assert ban.user_id == fan_id
            assert ban.end_time is None
            banned = await send(fan, "still here?")
            assert banned[::2] == (False, "msg_banned"), banned
            assert await twitch.unban_user(owner, owner, fan_id)
            timeout = await twitch.ban_user(owner, owner, fan_id, "calm down", duration=300)
            assert timeout.end_time is not None
            timed = await send(fan, "and now?")
            assert timed[::2] == (False, "msg_timedout"), timed
            assert await twitch.unban_user(owner, owner, fan_id)
            sent = await send(fan, "back again")
            assert sent[0], sent
            await twitch.delete_chat_message(owner, owner, sent[1])
            await twitch.delete_chat_message(owner, owner)
            return sent[1], fan_id

    with join(base, streamer.username) as reader:
        sent, message_id, _ = asyncio.run(send(streamer, "hello from a tool"))
        assert sent
        [message] = frames(reader, "message", 1)
        assert (message["id"], message["text"], message["user_id"], message["badges"]) == (
            message_id, "hello from a tool", owner, ["broadcaster"])
        deleted, _ = asyncio.run(moderate())
        got = collect(reader, {"message": 1, "moderation": 6})
    assert [m["text"] for m in got["message"]] == ["back again"]
    assert [(m["action"], m["target_user_id"]) for m in got["moderation"]] == [
        ("ban", fan_id), ("unban", fan_id), ("timeout", fan_id), ("unban", fan_id),
        ("delete", fan_id), ("clear", None)]
    assert got["moderation"][4]["message_id"] == deleted


def test_twitchapi_reads_and_changes_chat_settings(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan, owner, _ = cast(platform, api)
    base = platform.base_url

    async def scenario() -> None:
        async with twitch_as(base, streamer, MODERATION) as twitch:
            before = await twitch.get_chat_settings(owner, owner)
            assert (before.emote_mode, before.slow_mode, before.follower_mode,
                    before.subscriber_mode, before.unique_chat_mode) == (
                False, False, False, False, False)
            changed = await twitch.update_chat_settings(
                owner, owner, emote_mode=True, slow_mode=True, slow_mode_wait_time=10,
                follower_mode=True, follower_mode_duration=30)
            assert (changed.emote_mode, changed.slow_mode_wait_time,
                    changed.follower_mode_duration) == (True, 10, 30)
            await twitch.update_chat_settings(owner, owner, follower_mode=False)
            after = await twitch.get_chat_settings(owner)
            assert (after.emote_mode, after.slow_mode, after.slow_mode_wait_time,
                    after.follower_mode) == (True, True, 10, False)
        async with twitch_as(base, fan, CHAT) as twitch:
            sent = await twitch.send_chat_message(owner, await user_id(twitch), "words")
            assert sent.drop_reason is not None
            assert (sent.is_sent, sent.drop_reason.code) == (False, "msg_emoteonly")

    with join(base, streamer.username) as reader:
        asyncio.run(scenario())
        modes = frames(reader, "modes", 2)
    assert (modes[-1]["emote_only"], modes[-1]["slow_mode_s"],
            modes[-1]["followers_only_s"]) == (True, 10, None)


def test_twitchapi_manages_moderators_and_lists_chatters(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan, owner, fan_id = cast(platform, api)
    base = platform.base_url

    async def scenario() -> None:
        async with twitch_as(base, streamer, MODERATION) as twitch:
            assert [m async for m in twitch.get_moderators(owner)] == []
            await twitch.add_channel_moderator(owner, fan_id)
            listed = await eventually(
                lambda: _moderators(twitch, owner), lambda found: found == [fan.username],
                "the new moderator")
            assert listed == [fan.username]
            chatters = await eventually(
                lambda: twitch.get_chatters(owner, owner),
                lambda found: found.total == 1, "the fan among the chatters")
            assert [(c.user_id, c.user_login) for c in chatters.data] == [
                (fan_id, fan.username)]
        async with twitch_as(base, fan, MODERATION) as twitch:
            # A moderator sees the chatters too.
            seen = await twitch.get_chatters(owner, fan_id)
            assert seen.total == 1
        async with twitch_as(base, streamer, MODERATION) as twitch:
            await twitch.remove_channel_moderator(owner, fan_id)
            await eventually(lambda: _moderators(twitch, owner), lambda found: found == [],
                             "no moderator")

    with live_by_event(api, platform.settings, [streamer.username]):
        beat(api, [player(api, streamer.username, fan)])
        asyncio.run(scenario())


async def _moderators(twitch: Twitch, owner: str) -> list[str]:
    return [m.user_login async for m in twitch.get_moderators(owner)]


def test_a_message_sent_as_twitch_documents_it_lands_in_the_history(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    """Twitch documents Send Chat Message's fields as a JSON body (twitchAPI sends them in the
    query string): either is taken."""
    streamer, _, owner, _ = cast(platform, api)
    sent = api.post("/helix/chat/messages", headers=helix(streamer), json={
        "broadcaster_id": owner, "sender_id": owner, "message": "from a JSON body"})
    assert sent.status_code == 200, sent.text
    [answer] = sent.json()["data"]
    assert (answer["is_sent"], answer["drop_reason"]) == (True, None)
    found = until(lambda: history(api, streamer.username)["data"],
                  lambda lines: bool(lines), 30, "the message in the history")
    assert [(m["id"], m["text"]) for m in found] == [(answer["message_id"], "from a JSON body")]


def test_twitchapi_replies_and_announces(platform: RunningPlatform, api: httpx.Client) -> None:
    streamer, fan, owner, fan_id = cast(platform, api)
    base = platform.base_url

    async def reply_and_announce(parent: str) -> None:
        async with twitch_as(base, fan, CHAT) as twitch:
            sent = await twitch.send_chat_message(owner, fan_id, "a reply", parent)
            assert sent.is_sent, sent.drop_reason
        async with twitch_as(base, streamer, [AuthScope.MODERATOR_MANAGE_ANNOUNCEMENTS]) as tw:
            await tw.send_chat_announcement(owner, owner, "giveaway soon", "orange")
        async with twitch_as(base, fan, [AuthScope.MODERATOR_MANAGE_ANNOUNCEMENTS]) as twitch:
            with pytest.raises(ForbiddenError):
                await twitch.send_chat_announcement(owner, fan_id, "me!")

    with join(base, streamer.username, streamer) as host:
        host.send('{"type": "message", "text": "who wants a reply?"}')
        [parent] = frames(host, "message", 1)
        asyncio.run(reply_and_announce(parent["id"]))
        reply, announcement = frames(host, "message", 2)
    assert (reply["text"], reply["reply"]["message_id"]) == ("a reply", parent["id"])
    assert (announcement["text"], announcement["announcement"]) == ("giveaway soon", "orange")
    unknown = api.post("/helix/chat/messages", headers=helix(fan), params={
        "broadcaster_id": owner, "sender_id": fan_id, "message": "hm",
        "reply_parent_message_id": "no-such-message"})
    assert (unknown.status_code, unknown.json()["message"]) == (
        400, "the message replied to is not a message of this channel's last six hours, or a "
        "moderator removed it")

