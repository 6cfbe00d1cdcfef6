"""IRC lines with IRCv3 tags: parsing a client's, formatting the server's, tag escaping."""

from __future__ import annotations

import pytest

from gateways.irc.lines import (
    Line,
    MalformedLine,
    escape_tag,
    format_line,
    parse_line,
    server_line,
    unescape_tag,
)


@pytest.mark.parametrize("value", ["plain", "a b;c\\d", "line\r\nbreak", "", "; \\ ;"])
def test_tag_values_survive_escaping(value: str) -> None:
    assert unescape_tag(escape_tag(value)) == value


def test_escaping_follows_ircv3() -> None:
    assert escape_tag("a b;c\\") == "a\\sb\\:c\\\\"
    assert unescape_tag("a\\sb\\:c\\\\\\r\\n") == "a b;c\\\r\n"
    assert unescape_tag("x\\qy\\") == "xqy"  # an unknown escape drops its backslash


def test_a_tagged_line_is_parsed() -> None:
    line = parse_line(b"@reply-parent-msg-id=abc;client-nonce=n\\s1 PRIVMSG #chan :hi there :)")
    assert line == Line("PRIVMSG", ("#chan", "hi there :)"),
                        {"reply-parent-msg-id": "abc", "client-nonce": "n 1"})


def test_commands_are_upper_case_and_prefixes_kept() -> None:
    line = parse_line(b":nick!n@h cap REQ :twitch.tv/tags twitch.tv/commands")
    assert (line.command, line.params, line.prefix) == (
        "CAP", ("REQ", "twitch.tv/tags twitch.tv/commands"), "nick!n@h")
    assert parse_line(b"PING").params == ()


@pytest.mark.parametrize("raw", [b"", b"   ", b"@a=b", b":prefix", b"\xff\xfe PRIVMSG",
                                 b"PING \x00", b"\x00"])
def test_lines_without_a_command_or_with_bad_bytes_are_refused(raw: bytes) -> None:
    with pytest.raises(MalformedLine):
        parse_line(raw)


def test_server_lines_are_formatted_with_tags_and_trailing_text() -> None:
    line = server_line("NOTICE", "#chan", "You are timed out; wait",
                       tags={"msg-id": "msg_timedout"})
    assert format_line(line) == (
        "@msg-id=msg_timedout :tmi.twitch.tv NOTICE #chan :You are timed out; wait\r\n")
    assert format_line(server_line("ROOMSTATE", "#chan")) == ":tmi.twitch.tv ROOMSTATE #chan\r\n"
    assert format_line(server_line("CLEARMSG", "#chan", "", tags={"login": "a b"})) == (
        "@login=a\\sb :tmi.twitch.tv CLEARMSG #chan :\r\n")


def test_a_formatted_line_parses_back() -> None:
    line = Line("PRIVMSG", ("#chan", "x"), {"display-name": "A;B", "emotes": ""},
                "u!u@u.tmi.twitch.tv", trailing=True)
    assert parse_line(format_line(line).rstrip("\r\n").encode()) == Line(
        "PRIVMSG", ("#chan", "x"), {"display-name": "A;B", "emotes": ""}, "u!u@u.tmi.twitch.tv")
