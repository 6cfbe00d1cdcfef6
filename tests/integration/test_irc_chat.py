"""Chat over IRC in Twitch's dialect, through real sockets to a running gateway: sign-in, joins,
messages both ways with the JSON chat in one order, moderation and refusals as Twitch sends
them."""

from __future__ import annotations

import json

import httpx
import pytest
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from tests.integration.irc_lines import RawIrc, command, notice_id, privmsgs
from tests.integration.oauth_helpers import Account
from tests.integration.test_bench_smoke import free_port
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


def test_moderation_by_legacy_commands_and_refusals_as_notices(
    irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, fan = cast
    channel = streamer.username
    with RawIrc(irc_port) as owner, RawIrc(irc_port) as viewer:
        owner.sign_in(channel, f"oauth:{streamer.access_token}")
        owner.join(channel)
        viewer.sign_in(fan.username, f"oauth:{fan.access_token}")
        viewer.join(channel)
        viewer.send(f"PRIVMSG #{channel} :/ban {channel}")
        viewer.until(notice_id("no_permission"))
        owner.send(f"PRIVMSG #{channel} :/slow 30")
        owner.until(notice_id("slow_on"))
        [state] = viewer.until(command("ROOMSTATE"))[-1:]
        assert state.tags["slow"] == "30"
        viewer.send(f"PRIVMSG #{channel} :first", f"PRIVMSG #{channel} :second")
        [slowed] = viewer.until(notice_id("msg_slowmode"))[-1:]
        assert slowed.params[0] == f"#{channel}"
        owner.send(f"PRIVMSG #{channel} :/timeout {fan.username} 10m", f"PRIVMSG #{channel} :/ban")
        owner.until(notice_id("timeout_success"))
        usage = owner.until(command("NOTICE"))[-1]  # a CLEARCHAT may come before it
        assert usage.tags["msg-id"] == "usage_ban"
        [cleared] = viewer.until(command("CLEARCHAT"))[-1:]
        assert (cleared.params, cleared.tags["ban-duration"]) == (
            (f"#{channel}", fan.username), "600")
        viewer.send(f"PRIVMSG #{channel} :let me talk")
        viewer.until(notice_id("msg_timedout"))
        owner.send(f"PRIVMSG #{channel} :/host elsewhere", f"PRIVMSG #{channel} :/clear")
        owner.until(notice_id("unrecognized_cmd"))
        assert viewer.until(command("CLEARCHAT"))[-1].params == (f"#{channel}",)


def test_bad_input_is_refused_not_crashed_on(irc_port: int, cast: tuple[Account, Account]
                                            ) -> None:
    streamer, fan = cast
    channel = streamer.username
    with RawIrc(irc_port) as irc:
        irc.send("JOIN #x", "WHO #x")
        assert [line.command for line in irc.until(command("421"))] == ["451", "421"]
        irc.send("PASS oauth:not-a-token", "NICK someone")
        assert [line.params[1] for line in irc.closed()] == ["Login authentication failed"]
    with RawIrc(irc_port) as irc:
        irc.send("PASS no-prefix", "NICK someone")
        assert [line.params[1] for line in irc.closed()] == ["Improperly formatted auth"]
    with RawIrc(irc_port) as anonymous:
        anonymous.sign_in("justinfan777", "anything")
        anonymous.send("JOIN #no_such_channel_here")
        anonymous.until(notice_id("msg_channel_suspended"))
        anonymous.join(channel)
        anonymous.send(f"PRIVMSG #{channel} :hi")
        anonymous.until(notice_id("no_permission"))
    with RawIrc(irc_port) as irc:
        irc.sign_in(fan.username, f"oauth:{fan.access_token}")
        irc.join(channel)
        irc.send_bytes(f"PRIVMSG #{channel} :bell \x07 here\r\n".encode() + b"\xff\xfe\r\n")
        irc.until(notice_id("msg_bad_characters"))
        irc.until(lambda line: line.command == "NOTICE" and "UTF-8" in line.params[1])
        irc.send_bytes(b"PRIVMSG #x :" + b"x" * 70000 + b"\r\nPING\r\n")
        assert irc.until(command("NOTICE"))[-1].params[1].endswith("bytes: ignored")
        irc.until(command("PONG"))
    with RawIrc(irc_port) as flood:
        flood.send(*["PING"] * 300)
        assert "disconnected" in flood.closed()[-1].params[1]


def test_irc_over_websocket_echoes_the_subprotocol_asked_for(
    platform: RunningPlatform, cast: tuple[Account, Account],
) -> None:
    streamer, _ = cast
    url = platform.base_url.replace("http://", "ws://")
    with connect(url + "/", subprotocols=[Subprotocol("irc")], open_timeout=10) as ws:
        assert ws.subprotocol == "irc"
        ws.send("CAP REQ :twitch.tv/commands\r\nPASS x\r\nNICK justinfan1\r\n"
                f"JOIN #{streamer.username}\r\n")
        received = ""
        while "ROOMSTATE" not in received:
            received += str(ws.recv(timeout=20))
        assert ":tmi.twitch.tv 001 justinfan1 :Welcome, GLHF!\r\n" in received
    with connect(url + "/irc", open_timeout=10) as ws:
        assert ws.subprotocol is None
        ws.send("PING")
        assert ws.recv(timeout=20) == ":tmi.twitch.tv PONG tmi.twitch.tv\r\n"


def test_clients_are_asked_to_reconnect_before_a_gateway_stops(
    platform: RunningPlatform, cast: tuple[Account, Account],
) -> None:
    streamer, _ = cast
    host = platform.settings.gateway_host
    port, irc_port = free_port(host), free_port(host)
    with platform.extra_gateway(port, {"CASTLINE_IRC_PORT": str(irc_port)}):
        irc = RawIrc(irc_port)
        irc.sign_in("justinfan42")
        irc.join(streamer.username)
    with irc:
        assert [line.command for line in irc.closed()] == ["RECONNECT"]
