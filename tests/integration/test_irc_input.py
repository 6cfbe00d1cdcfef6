"""Hostile input to the IRC gateway, as a fuzzer or an attacker sends it, over real sockets:
each is answered with a numeric, a NOTICE or a closed connection, never a traceback, and the
sessions around it go on as before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from gateways.irc.lines import Line
from tests.integration.irc_lines import RawIrc, command, privmsgs
from tests.integration.oauth_helpers import Account
from tests.integration.test_chat import join
from tests.integration.test_chat_history import owner_and_fan
from tests.running import RunningPlatform


def tracebacks(logs: Path) -> dict[Path, int]:
    return {log: log.read_text(errors="replace").count("Traceback")
            for log in logs.glob("gateway-*.log")}


@pytest.fixture(scope="module", autouse=True)
def no_tracebacks(platform: RunningPlatform) -> Iterator[None]:
    """No input of this module leaves a traceback in any gateway's log."""
    before = tracebacks(platform.logs)
    yield
    after = tracebacks(platform.logs)
    grown = {log.name: n - before.get(log, 0) for log, n in after.items() if n > before.get(log, 0)}
    assert not grown, f"tracebacks in gateway logs: {grown}"


@pytest.fixture
def cast(api: httpx.Client) -> tuple[Account, Account]:
    return owner_and_fan(api)


@pytest.fixture
def irc_port(platform: RunningPlatform) -> int:
    return platform.settings.irc_port


def serving(irc_port: int, channel: str) -> None:
    """A new client still signs in, joins and is answered."""
    with RawIrc(irc_port) as irc:
        irc.sign_in("justinfan4242")
        assert irc.join(channel)[-1].command == "ROOMSTATE"
        irc.send("PING :still")
        assert irc.until(command("PONG"))[-1].params == ("tmi.twitch.tv", "still")


def pongs(irc: RawIrc, count: int) -> list[Line]:
    """The next `count` lines, which must all be PONGs."""
    seen: list[Line] = []
    for _ in range(count):
        seen.extend(irc.until(lambda line: True))
    assert [line.command for line in seen] == ["PONG"] * count, seen
    return seen


def test_line_breaks_nul_and_bytes_that_are_not_utf8(
    irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, _ = cast
    with RawIrc(irc_port) as irc:
        irc.send_bytes(b"PING a\rPING b\nPING c\r\n\r\n\n\rPING d\r")
        irc.send_bytes(b"\nPING e\n")
        assert [line.params[1] for line in pongs(irc, 5)] == ["a", "b", "c", "d", "e"]
        irc.send_bytes(b"PING \x00x\r\nPING \xc3\x28\r\n\x00\r\nping :f\r\n")
        malformed = irc.until(command("PONG"))
        assert [line.params[1] for line in malformed] == [
            "Malformed line: the line holds a NUL", "Malformed line: the line is not UTF-8",
            "Malformed line: the line holds a NUL", "f"]
    serving(irc_port, streamer.username)


def test_overlong_lines_are_dropped_and_a_runaway_one_disconnects(
    irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, _ = cast
    with RawIrc(irc_port) as irc:
        irc.send_bytes(b"PRIVMSG #x :" + b"x" * 7000 + b"\r\n@a=" + b"y" * 9000 + b" PING\r\n")
        irc.send("PING :after")
        lines = irc.until(command("PONG"))
        assert [line.params[1] for line in lines] == [
            "A line is at most 6144 bytes: ignored"] * 2 + ["after"]
        # Exactly one byte past the most skipped: read whole, so the close is not a reset.
        irc.send_bytes(b"z" * ((1 << 20) + 1))
        closing = irc.closed()
        assert closing[-1].params[1] == "A line is at most 6144 bytes: disconnected"
    with RawIrc(irc_port) as gone:  # leaves in the middle of an overlong line
        gone.send_bytes(b"PING :" + b"z" * 100_000)
    serving(irc_port, streamer.username)


def test_commands_before_signing_in_and_unknown_ones(
    irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, _ = cast
    with RawIrc(irc_port) as irc:
        irc.send("JOIN #x", "PRIVMSG #x :hi", "PART #x", "who #x", "   ", "@a=b", ":prefix",
                 "PING :end")
        lines = irc.until(command("PONG"))
        assert [line.command for line in lines] == ["451", "451", "451", "421", "NOTICE",
                                                    "NOTICE", "PONG"]
        assert lines[3].params == ("*", "WHO", "Unknown command")
        assert {line.params[1] for line in lines[4:6]} == {"Malformed line: the line has no "
                                                           "command"}
    serving(irc_port, streamer.username)


def test_nick_and_pass_again_after_signing_in_change_nothing(
    irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, fan = cast
    with RawIrc(irc_port) as irc:
        irc.sign_in(fan.username, f"oauth:{fan.access_token}")
        irc.until(command("GLOBALUSERSTATE"))
        irc.send("PASS oauth:bogus", f"NICK {streamer.username}", "NICK justinfan1",
                 "PASS", "NICK", "USER a b c d", "CAP REQ :", "CAP END", "PING :x")
        lines = irc.until(command("PONG"))
        assert [line.command for line in lines] == ["CAP", "PONG"]
        irc.join(streamer.username)
        irc.send(f"PRIVMSG #{streamer.username} :still {fan.username}")
        irc.until(command("USERSTATE"))


def test_privmsg_without_text_target_or_joined_channel(
    irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, fan = cast
    channel = streamer.username
    with RawIrc(irc_port) as irc:
        irc.sign_in(fan.username, f"oauth:{fan.access_token}")
        irc.join(channel)
        irc.send("PRIVMSG", f"PRIVMSG #{channel}", f"PRIVMSG #{channel} :",
                 "PRIVMSG #nowhere_joined :hi", "PRIVMSG nohash :hi", "PRIVMSG #a,#b :hi",
                 "PING :end")
        lines = [line for line in irc.until(command("PONG")) if line.command != "USERSTATE"]
        assert [(line.command, line.params[0]) for line in lines] == [
            ("411", fan.username), ("412", fan.username), ("412", fan.username),
            ("NOTICE", "#nowhere_joined"), ("NOTICE", "*"), ("NOTICE", "*"),
            ("PONG", "tmi.twitch.tv")]
        assert {line.tags["msg-id"] for line in lines[3:6]} == {"msg_rejected"}


def test_malformed_unknown_and_too_many_channels_to_join(
    irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, _ = cast
    with RawIrc(irc_port) as irc:
        irc.sign_in("justinfan5150")
        irc.send("JOIN ,,,", "JOIN #", "JOIN nohash", "JOIN :#a b", "JOIN #" + "a" * 30,
                 "JOIN #a-b", f"JOIN #{streamer.username.upper()}")
        joined = irc.until(command("ROOMSTATE"))
        refused = [line for line in joined if line.command == "NOTICE"]
        assert [(line.params[0], line.tags["msg-id"]) for line in refused] == [
            ("*", "msg_channel_suspended")] * 5
        assert joined[-5].params == (f"#{streamer.username}",)
        many = ",".join(f"#no_such_{n}" for n in range(150))  # within 2048 bytes
        irc.send(f"JOIN {many}", f"JOIN {many}", "PING :end")
        lines = irc.until(command("PONG"))
        assert [line.tags.get("msg-id") for line in lines[:-3]] == ["msg_channel_suspended"] * 14
        assert lines[-4].params[0] == "#no_such_13"
        assert [line.params[1] for line in lines[-3:-1]] == [
            f"More than 20 channels joined in 10 s: {n} not joined" for n in (136, 150)]
    serving(irc_port, streamer.username)


def test_client_tags_are_read_past(
    irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, fan = cast
    channel = streamer.username
    with RawIrc(irc_port) as talker, RawIrc(irc_port) as listener:
        talker.sign_in(fan.username, f"oauth:{fan.access_token}")
        talker.join(channel)
        listener.sign_in("justinfan9000")
        listener.join(channel)
        talker.send(f"@+example.com/id=0f0e;client-nonce=a\\sb\\:x;=;;+draft/x;k=v\\ "
                    f"PRIVMSG #{channel} :a reply", f"@ PRIVMSG #{channel} :no tags at all")
        assert privmsgs(listener, 2) == ["a reply", "no tags at all"]


def test_a_flood_closes_only_its_own_connection(
    platform: RunningPlatform, irc_port: int, cast: tuple[Account, Account],
) -> None:
    streamer, _ = cast
    channel = streamer.username
    url = platform.base_url.replace("http://", "ws://") + "/irc"
    with RawIrc(irc_port) as bystander, join(platform.base_url, channel, streamer) as writer:
        bystander.sign_in("justinfan1111")
        bystander.join(channel)
        with RawIrc(irc_port) as flood:
            flood.send_bytes(b"PING\r\n" * 1000)
            assert flood.closed()[-1].params[1] == "More than 200 lines in 10 s: disconnected"
        with connect(url, open_timeout=10) as ws:
            ws.send("\n".join(["PING :x"] * 2000))
            received = ""
            for text in ws:
                received += str(text)
            assert received.count("PONG") == 200
            assert received.endswith(":tmi.twitch.tv NOTICE * :More than 200 lines in 10 s: "
                                     "disconnected\r\n")
        writer.send(json.dumps({"type": "message", "text": "after the flood"}))
        assert privmsgs(bystander, 1) == ["after the flood"]
