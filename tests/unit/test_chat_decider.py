from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from events.chat import ChatMessagePosted, SendChatMessage
from gateways.chat_posting import reply_fields
from gateways.message_authors import RecentMessage
from processors.deciders.chat import (
    Poster,
    RateLimits,
    Recent,
    emote_positions,
    post,
    record,
)
from processors.deciders.decisions import Rejected

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
ROOM = Poster(owner_id="owner", moderators=("mod",))


def message(user: str, text: str = "hello", at_s: float = 0) -> SendChatMessage:
    return SendChatMessage(channel="abcd", message_id=f"m-{at_s}", user_id=user, username=user,
                           display_name=user, text=text,
                           issued_at=START + timedelta(seconds=at_s))


def test_message_gets_badges_and_emotes() -> None:
    posted = post({}, ROOM, message("owner", "GG Kappa nice"))
    assert isinstance(posted, ChatMessagePosted)
    assert posted.badges == ["broadcaster"]
    assert posted.emotes == ["GG:0-1", "Kappa:3-7"]
    by_mod = post({}, ROOM, message("mod"))
    assert isinstance(by_mod, ChatMessagePosted)
    assert by_mod.badges == ["moderator"]


def test_empty_and_too_long_are_refused() -> None:
    for text in ("", "   ", "x" * 501):
        refused = post({}, ROOM, message("viewer", text))
        assert isinstance(refused, Rejected)
        assert refused.field == "text"
    edge = post({}, ROOM, message("viewer", "x" * 500))
    assert isinstance(edge, ChatMessagePosted)


def posted_all(user: str, count: int) -> Recent:
    recent: Recent = {}
    for n in range(count):
        posted = post(recent, ROOM, message(user, at_s=n * 0.1))
        assert isinstance(posted, ChatMessagePosted), n
        recent = record(recent, posted)
    return recent


def test_viewer_limit_edge_and_wait() -> None:
    recent = posted_all("viewer", RateLimits().viewer)
    refused = post(recent, ROOM, message("viewer", at_s=2.0))
    assert isinstance(refused, Rejected)
    assert refused.error == "rate_limited"
    assert refused.retry_after_s == 28.0
    assert isinstance(post(recent, ROOM, message("viewer", at_s=30.01)), ChatMessagePosted)


def test_moderators_have_a_higher_limit() -> None:
    posted_all("mod", RateLimits().viewer + 5)


def test_silent_users_are_forgotten() -> None:
    recent = posted_all("viewer", 1)
    later = post(recent, ROOM, message("other", at_s=40))
    assert isinstance(later, ChatMessagePosted)
    assert set(record(recent, later)) == {"other"}


def test_emote_positions_are_whole_words() -> None:
    assert emote_positions("Kappas Kappa") == ["Kappa:7-11"]


def test_a_reply_is_posted_with_what_it_replies_to() -> None:
    parent = RecentMessage("u-0", "host", "Host", "first", "m-root", "starter")
    reply = replace(message("fan"), **reply_fields(("m-parent", parent)))
    posted = post({}, ROOM, reply)
    assert isinstance(posted, ChatMessagePosted)
    assert (posted.reply_parent_message_id, posted.reply_parent_username,
            posted.reply_parent_text, posted.reply_thread_message_id,
            posted.reply_thread_username) == ("m-parent", "host", "first", "m-root", "starter")
    first = RecentMessage("u-0", "host", "Host", "first")  # not itself a reply
    assert reply_fields(("m-parent", first))["reply_thread_message_id"] == "m-parent"


def test_only_the_broadcaster_and_moderators_announce() -> None:
    announced = post({}, ROOM, replace(message("mod"), announcement_color="green"))
    assert isinstance(announced, ChatMessagePosted)
    assert announced.announcement_color == "green"
    refused = post({}, ROOM, replace(message("fan"), announcement_color="green"))
    assert isinstance(refused, Rejected)
    assert refused.error == "forbidden"
