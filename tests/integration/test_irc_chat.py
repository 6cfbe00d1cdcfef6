"""Chat over IRC in Twitch's dialect, through real sockets to a running gateway: sign-in, joins,
messages both ways with the JSON chat in one order, moderation and refusals as Twitch sends
them."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.integration.irc_lines import RawIrc, command, privmsgs
from tests.integration.oauth_helpers import Account
from tests.integration.test_chat import frames, join
from tests.integration.test_chat_history import owner_and_fan
from tests.running import RunningPlatform


@pytest.fixture
def cast(api: httpx.Client) -> tuple[Account, Account]:
    """A streamer (their channel in the read model) and a fan."""
    return owner_and_fan(api)


@pytest.fixture
def irc_port(platform: RunningPlatform) -> int:
    return platform.settings.irc_port


def test_a_signed_in_client_is_welcomed_and_joins(
    irc_port: int, cast: tuple[Account, Account], api: httpx.Client,
) -> None:
    streamer, _ = cast
    channel = streamer.username
    with RawIrc(irc_port) as irc:
        irc.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
        [ack] = irc.until(command("CAP"))
        assert ack.params == ("*", "ACK", "twitch.tv/tags twitch.tv/commands twitch.tv/membership")
        irc.send(f"PASS oauth:{streamer.access_token}", f"NICK {channel}")
        welcome = irc.until(command("GLOBALUSERSTATE"))
        assert [line.command for line in welcome] == [
            "001", "002", "003", "004", "375", "372", "376", "GLOBALUSERSTATE"]
        assert all(line.prefix == "tmi.twitch.tv" for line in welcome)
        user_id = api.get("/api/v1/users/me", headers=streamer.auth).json()["data"]["id"]
        assert welcome[-1].tags["user-id"] == user_id
        joined = irc.join(channel)
        assert [line.command for line in joined] == ["JOIN", "353", "366", "USERSTATE",
                                                     "ROOMSTATE"]
        assert joined[0].prefix == f"{channel}!{channel}@{channel}.tmi.twitch.tv"
        assert joined[3].tags["badges"] == "broadcaster/1"
        assert dict(joined[4].tags) == {"emote-only": "0", "followers-only": "-1", "r9k": "0",
                                        "room-id": user_id, "slow": "0", "subs-only": "0"}
        irc.send("PING :tmi.twitch.tv")
        assert irc.until(command("PONG"))[-1].params == ("tmi.twitch.tv", "tmi.twitch.tv")


def test_irc_and_json_clients_see_one_order(
    platform: RunningPlatform, irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, fan = cast
    channel = streamer.username
    with RawIrc(irc_port) as talker, RawIrc(irc_port) as listener, \
            join(platform.base_url, channel) as reader, \
            join(platform.base_url, channel, streamer) as writer:
        talker.sign_in(fan.username, f"oauth:{fan.access_token}")
        talker.join(channel)
        listener.sign_in("justinfan12345", "SCHMOOPIIE")
        listener.join(channel)
        for n in range(5):
            talker.send(f"PRIVMSG #{channel} :irc {n} Kappa")
            writer.send(json.dumps({"type": "message", "text": f"json {n}"}))
        on_json = [f["text"] for f in frames(reader, "message", 10)]
        on_irc = privmsgs(listener, 10)
        assert on_irc == on_json
        assert [t for t in on_irc if t.startswith("irc")] == [f"irc {n} Kappa" for n in range(5)]
        # The sender hears its own messages only as the JSON chat's; IRC does not echo them.
        seen_by_talker = privmsgs(talker, 5)
        assert seen_by_talker == [f"json {n}" for n in range(5)]




def test_tokens_are_validated_as_twitch_does(api: httpx.Client,
                                             cast: tuple[Account, Account]) -> None:
    streamer, _ = cast
    valid = api.get("/oauth2/validate", headers={"Authorization": f"OAuth {streamer.access_token}"})
    assert valid.status_code == 200, valid.text
    body = valid.json()
    me = api.get("/api/v1/users/me", headers=streamer.auth).json()["data"]
    assert (body["login"], body["user_id"], body["client_id"]) == (
        streamer.username, me["id"], "castline-web")
    assert "chat:edit" in body["scopes"]
    assert 0 < body["expires_in"] <= 24 * 3600
    for header in ({"Authorization": "OAuth nonsense"}, {}, {"Authorization": "Basic eA=="}):
        refused = api.get("/oauth2/validate", headers=header)
        assert refused.status_code == 401
        assert refused.json()["error"] in ("invalid_token", "missing_authorization_token")
