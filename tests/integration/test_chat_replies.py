"""Replies in chat: a message names the one it answers, JSON and IRC clients alike, and every
client is told what it replies to and the thread it is in."""

from __future__ import annotations

import json

import httpx

from tests.integration.irc_lines import RawIrc, command, notice_id
from tests.integration.test_chat import collect, frames, join
from tests.integration.test_chat_history import owner_and_fan
from tests.running import RunningPlatform
from tests.waiting import until


def test_replies_from_json_and_irc_name_their_parent_and_thread(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    channel = streamer.username
    with RawIrc(platform.settings.irc_port) as irc, join(platform.base_url, channel) as reader, \
            join(platform.base_url, channel, streamer) as host:
        irc.sign_in(fan.username, f"oauth:{fan.access_token}")
        irc.join(channel)
        host.send(json.dumps({"type": "message", "text": "who is here?"}))
        [first] = frames(reader, "message", 1)
        irc.send(f"@reply-parent-msg-id={first['id']} PRIVMSG #{channel} :@{channel} me!")
        [answer] = frames(reader, "message", 1)
        host.send(json.dumps({"type": "message", "text": "welcome", "reply_to": answer["id"]}))
        [welcome] = frames(reader, "message", 1)
        relayed = irc.until(lambda line: line.command == "PRIVMSG"
                            and line.params[1] == "welcome")[-1]
    assert answer["reply"] == {
        "message_id": first["id"], "user_id": first["user_id"], "username": channel,
        "display_name": first["display_name"], "text": "who is here?",
        "thread_message_id": first["id"], "thread_username": channel}
    assert (welcome["reply"]["message_id"], welcome["reply"]["text"]) == (
        answer["id"], f"@{channel} me!")
    assert welcome["reply"]["thread_message_id"] == first["id"]
    assert first["reply"] is None
    assert {k: relayed.tags[k] for k in ("reply-parent-msg-id", "reply-parent-user-login",
                                         "reply-parent-msg-body", "reply-thread-parent-msg-id",
                                         "reply-thread-parent-user-login")} == {
        "reply-parent-msg-id": answer["id"], "reply-parent-user-login": fan.username,
        "reply-parent-msg-body": f"@{channel} me!", "reply-thread-parent-msg-id": first["id"],
        "reply-thread-parent-user-login": channel}


def test_a_reply_to_an_unknown_message_is_refused(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    channel = streamer.username
    with RawIrc(platform.settings.irc_port) as irc, \
            join(platform.base_url, channel, fan) as ws:
        ws.send(json.dumps({"type": "message", "text": "hm", "reply_to": "no-such-id",
                            "nonce": "n1"}))
        ws.send(json.dumps({"type": "message", "text": "hm", "reply_to": 7, "nonce": "n2"}))
        unknown, mistyped = frames(ws, "error", 2)
        irc.sign_in(fan.username, f"oauth:{fan.access_token}")
        irc.join(channel)
        irc.send(f"@reply-parent-msg-id=no-such-id PRIVMSG #{channel} :hm")
        refused = irc.until(notice_id("msg_rejected"))[-1]
        ws.send(json.dumps({"type": "message", "text": "plain", "nonce": "n3"}))
        assert collect(ws, {"ack": 1})["ack"][0]["nonce"] == "n3"
    assert (unknown["reason"], unknown["field"], unknown["nonce"]) == (
        "reply_parent_not_found", "reply_to", "n1")
    assert (mistyped["reason"], mistyped["field"], mistyped["nonce"]) == (
        "invalid_message", "reply_to", "n2")
    assert "replied to" in refused.params[-1]
    assert command("NOTICE")(refused)


def test_a_message_a_moderator_removed_cannot_be_quoted(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    channel = streamer.username
    with join(platform.base_url, channel, fan) as talker, \
            join(platform.base_url, channel, streamer) as host:
        talker.send(json.dumps({"type": "message", "text": "something rude"}))
        talker.send(json.dumps({"type": "message", "text": "something ruder"}))
        rude, ruder = frames(host, "message", 2)
        deleted = api.delete(f"/api/v1/channels/{channel}/chat/messages/{rude['id']}",
                             headers=streamer.auth)
        assert deleted.status_code == 200, deleted.text
        banned = api.post(f"/api/v1/channels/{channel}/chat/bans", headers=streamer.auth,
                          json={"username": fan.username, "duration_s": 60})
        assert banned.status_code == 200, banned.text
        until(lambda: history_ids(api, channel), lambda ids: not ids & {rude["id"], ruder["id"]},
              30, "chat history to hide both messages")
        for parent in (rude, ruder):
            host.send(json.dumps({"type": "message", "text": "quoting", "reply_to": parent["id"],
                                  "nonce": parent["id"]}))
            [refused] = frames(host, "error", 1)
            assert (refused["reason"], refused["nonce"]) == ("reply_parent_not_found",
                                                             parent["id"])


def history_ids(api: httpx.Client, channel: str) -> set[str]:
    page = api.get(f"/api/v1/channels/{channel}/chat/messages", params={"first": 50})
    assert page.status_code == 200, page.text
    return {message["id"] for message in page.json()["data"]}
