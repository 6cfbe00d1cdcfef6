"""examples/chat_bot.py and examples/moderate.py against the test platform, as processes: the
bot answers `!uptime` and times out a blocked word as a moderator; the tool bans, times out,
lifts, slows and clears, and a refusal is the API's error with exit code 1."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection

from tests.integration.example_runs import run, running
from tests.integration.oauth_helpers import Account
from tests.integration.test_chat import frames, join
from tests.integration.test_chat_moderation import broadcaster_moderator_viewer, say
from tests.running import RunningPlatform


@pytest.fixture
def channel_with_bot(api: httpx.Client) -> tuple[Account, Account, Account]:
    """A broadcaster, the bot's user (a moderator of the channel) and a viewer."""
    return broadcaster_moderator_viewer(api)


def first(ws: ClientConnection, kind: str, **fields: str) -> dict[str, Any]:
    """The next frame of a kind with these fields; the frames before it are skipped."""
    while True:
        frame: dict[str, Any] = json.loads(ws.recv(timeout=30))
        if frame["type"] == kind and all(frame.get(k) == v for k, v in fields.items()):
            return frame


def send(ws: ClientConnection, text: str) -> None:
    ws.send(json.dumps({"type": "message", "text": text}))


def test_the_bot_answers_uptime_and_times_out_a_blocked_word(
    platform: RunningPlatform, channel_with_bot: tuple[Account, Account, Account],
) -> None:
    owner, bot, fan = channel_with_bot
    channel = owner.username
    with running("chat_bot", "--api", platform.base_url, "--channel", channel,
                 "--token", bot.access_token, "--blocked-word", "spoiler",
                 "--timeout-s", "120", name="chat_bot") as bot_run, \
            join(platform.base_url, channel, fan) as ws:
        bot_run.wait_for(f"joined {channel} as {bot.username}")
        send(ws, "!uptime")
        answer = first(ws, "message", username=bot.username)
        assert answer["text"] == f"{channel} is offline"
        assert "moderator" in answer["badges"]
        bot_run.wait_for(f"answered !uptime from {fan.username}")
        send(ws, "the boss dies, SPOILER")
        notice = first(ws, "moderation", target_username=fan.username)
        assert notice["action"] == "timeout"
        bot_run.wait_for(f"timed out {fan.username} for 120 s")
        refused = say(ws, "sorry")
        assert refused["reason"] == "timed_out"


def moderate(platform: RunningPlatform, who: Account, channel: str,
             *action: str) -> tuple[int, str]:
    done = run("moderate", "--api", platform.base_url, "--token", who.access_token,
               "--channel", channel, *action)
    return done.returncode, done.stdout.strip()


def test_the_moderation_tool_bans_times_out_slows_and_clears(
    platform: RunningPlatform, channel_with_bot: tuple[Account, Account, Account],
) -> None:
    owner, mod, fan = channel_with_bot
    channel = owner.username
    with join(platform.base_url, channel, fan) as ws, join(platform.base_url, channel) as viewer:
        assert moderate(platform, mod, channel, "timeout", fan.username, "60") == (
            0, f"timed out {fan.username} for 60 s in {channel}")
        assert say(ws, "during")["reason"] == "timed_out"
        assert moderate(platform, mod, channel, "unban", fan.username)[0] == 0
        assert say(ws, "after")["type"] == "ack"
        assert moderate(platform, mod, channel, "ban", fan.username, "--reason", "rude") == (
            0, f"banned {fan.username} in {channel}")
        assert say(ws, "banned now")["reason"] == "banned"
        assert moderate(platform, owner, channel, "unban", fan.username)[0] == 0
        assert moderate(platform, mod, channel, "slow", "30") == (
            0, f"slow mode 30 s in {channel}")
        frames(ws, "modes", 1)
        assert say(ws, "too soon after 'after'")["reason"] == "slow_mode"
        assert moderate(platform, owner, channel, "clear") == (0, f"cleared the chat in {channel}")
        first(viewer, "moderation", action="clear")


def test_the_moderation_tool_reports_a_refusal(
    platform: RunningPlatform, channel_with_bot: tuple[Account, Account, Account],
) -> None:
    owner, _, fan = channel_with_bot
    code, output = moderate(platform, fan, owner.username, "ban", owner.username)
    assert code == 1
    assert output.startswith("refused (403): ")
