"""Chat frames as the lines Twitch sends for them."""

from __future__ import annotations

import msgspec

from gateways.irc.lines import format_line, parse_line
from gateways.irc.relay import badges_tag, emotes_tag, irc_line, relayed, room_state

MESSAGE = {"type": "message", "id": "m-1", "channel": "chan", "user_id": "u-1",
           "username": "fan", "display_name": "Fan", "text": "GG Kappa GG",
           "badges": ["moderator", "subscriber/1000"], "emotes": ["GG:0-1", "Kappa:3-7",
                                                                  "GG:9-10"],
           "bits": 0, "sent_at": "2026-01-02T03:04:05.678000+00:00"}


def test_a_message_is_a_privmsg_with_twitchs_tags() -> None:
    line = irc_line(MESSAGE, "r-1")
    assert line is not None
    assert (line.command, line.params, line.prefix) == (
        "PRIVMSG", ("#chan", "GG Kappa GG"), "fan!fan@fan.tmi.twitch.tv")
    assert {k: line.tags[k] for k in ("badges", "emotes", "id", "mod", "room-id",
                                      "subscriber", "tmi-sent-ts", "user-id", "user-type",
                                      "display-name")} == {
        "badges": "moderator/1,subscriber/0", "emotes": "GG:0-1,9-10/Kappa:3-7", "id": "m-1",
        "mod": "1", "room-id": "r-1", "subscriber": "1", "tmi-sent-ts": "1767323045678",
        "user-id": "u-1", "user-type": "mod", "display-name": "Fan"}
    assert "bits" not in line.tags
    cheer = irc_line({**MESSAGE, "bits": 100}, "r-1")
    assert cheer is not None
    assert cheer.tags["bits"] == "100"


def test_badges_and_emotes() -> None:
    assert badges_tag(["broadcaster", "subscriber/3000"]) == "broadcaster/1,subscriber/3000"
    assert badges_tag([]) == emotes_tag([]) == ""


def test_moderation_is_clearchat_or_clearmsg() -> None:
    base = {"type": "moderation", "channel": "chan", "target_user_id": "u-2",
            "target_username": "troll", "message_id": None, "duration_s": None}
    ban = irc_line({**base, "action": "ban", "duration_s": -1}, "r-1")
    timeout = irc_line({**base, "action": "timeout", "duration_s": 30}, "r-1")
    clear = irc_line({**base, "action": "clear", "target_username": None}, "r-1")
    delete = irc_line({**base, "action": "delete", "message_id": "m-9"}, "r-1")
    assert ban is not None
    assert timeout is not None
    assert clear is not None
    assert delete is not None
    assert (ban.command, ban.params, "ban-duration" in ban.tags) == (
        "CLEARCHAT", ("#chan", "troll"), False)
    assert (timeout.params, timeout.tags["ban-duration"]) == (("#chan", "troll"), "30")
    assert (clear.command, clear.params) == ("CLEARCHAT", ("#chan",))
    assert (delete.command, delete.tags["target-msg-id"]) == ("CLEARMSG", "m-9")
    assert irc_line({**base, "action": "unban"}, "r-1") is None


def test_modes_are_a_full_roomstate() -> None:
    line = room_state("chan", "r-1", {"slow_mode_s": 10, "followers_only_s": 600,
                                      "subscriber_only": True, "emote_only": False})
    assert format_line(line) == ("@emote-only=0;followers-only=10;r9k=0;room-id=r-1;slow=10;"
                                 "subs-only=1 :tmi.twitch.tv ROOMSTATE #chan\r\n")
    off = room_state("chan", "r-1", {"followers_only_s": None})
    assert off.tags["followers-only"] == "-1"


def test_a_relayed_frame_has_a_tagged_and_a_plain_form() -> None:
    text = msgspec.json.encode(MESSAGE).decode()
    relayed_line = relayed(text, "r-1")
    assert relayed_line is not None
    assert relayed_line.message_id == "m-1"
    assert parse_line(relayed_line.tagged.rstrip("\r\n").encode()).tags["id"] == "m-1"
    assert relayed_line.plain == ":fan!fan@fan.tmi.twitch.tv PRIVMSG #chan :GG Kappa GG\r\n"
    assert relayed(msgspec.json.encode({"type": "ad_break", "channel": "chan"}).decode(),
                   "r-1") is None


def test_a_reply_carries_twitchs_reply_tags() -> None:
    reply = {"message_id": "m-0", "user_id": "u-0", "username": "host", "display_name": "Host",
             "text": "first; words", "thread_message_id": "m-0", "thread_username": "host"}
    line = irc_line({**MESSAGE, "reply": reply}, "r-1")
    assert line is not None
    assert {k: v for k, v in line.tags.items() if k.startswith("reply-")} == {
        "reply-parent-display-name": "Host", "reply-parent-msg-body": "first; words",
        "reply-parent-msg-id": "m-0", "reply-parent-user-id": "u-0",
        "reply-parent-user-login": "host", "reply-thread-parent-msg-id": "m-0",
        "reply-thread-parent-user-login": "host"}
    assert "reply-parent-msg-body=first\\:\\swords" in format_line(line)
    plain = irc_line({**MESSAGE, "reply": None}, "r-1")
    assert plain is not None
    assert not any(k.startswith("reply-") for k in plain.tags)


def test_an_announcement_is_a_usernotice_with_its_colour() -> None:
    line = irc_line({**MESSAGE, "announcement": "blue"}, "r-1")
    assert line is not None
    assert (line.command, line.params, line.prefix) == (
        "USERNOTICE", ("#chan", "GG Kappa GG"), "tmi.twitch.tv")
    assert {k: line.tags[k] for k in ("msg-id", "msg-param-color", "login", "id", "badges")} == {
        "msg-id": "announcement", "msg-param-color": "BLUE", "login": "fan", "id": "m-1",
        "badges": "moderator/1,subscriber/0"}
