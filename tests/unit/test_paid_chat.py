"""The channel decider's answers to wallets: cheers posted or refused, donation reviews."""

from __future__ import annotations

from dataclasses import replace

from events.chat import ChatMessagePosted, SendChatMessage
from events.monetization import CheerPostDecided, DonationReviewed, ReviewDonation
from processors.deciders.channels import ChannelState, decide
from processors.deciders.chat_moderation import ChatModes
from processors.deciders.decisions import Rejected

OWNER = "owner-1"
ROOM = ChannelState(exists=True, owner_id=OWNER)


def cheer_post(text: str = "cheer100 nice play", user: str = "fan") -> SendChatMessage:
    return SendChatMessage(channel="chan", message_id="m1", user_id=user, username=user,
                           display_name=user, text=text, bits=100)


def test_a_posted_cheer_carries_its_bits_and_tells_the_wallet() -> None:
    events = decide(ROOM, cheer_post())
    assert isinstance(events, list)
    posted, reply = events
    assert isinstance(posted, ChatMessagePosted)
    assert posted.bits == 100
    assert reply == CheerPostDecided(event_id=reply.event_id, occurred_at=reply.occurred_at,
                                     user_id="fan", channel="chan", message_id="m1",
                                     posted=True)


def test_a_refused_cheer_tells_the_wallet_why() -> None:
    banned = replace(ROOM, chat_bans={"fan": -1})
    result = decide(banned, cheer_post())
    assert isinstance(result, Rejected)
    [reply] = result.events
    assert isinstance(reply, CheerPostDecided)
    assert (reply.posted, reply.error) == (False, "banned")


def test_a_cheer_in_a_missing_channel_is_answered_too() -> None:
    result = decide(ChannelState(), cheer_post())
    assert isinstance(result, Rejected)
    assert isinstance(result.events[0], CheerPostDecided)


def test_plain_messages_tell_no_wallet() -> None:
    plain = replace(cheer_post("hello"), bits=0)
    events = decide(ROOM, plain)
    assert isinstance(events, list)
    assert [type(e) for e in events] == [ChatMessagePosted]


def review(message: str, user: str = "fan") -> ReviewDonation:
    return ReviewDonation(channel="chan", donation_id="d1", user_id=user, message=message)


def test_donation_messages_follow_the_chat_rules() -> None:
    strict = replace(ROOM, chat_modes=ChatModes(blocked_terms=("scam",)))
    approved = decide(strict, review("great stream"))
    assert isinstance(approved, list)
    [reply] = approved
    assert isinstance(reply, DonationReviewed)
    assert reply.approved
    for refused, error in ((decide(strict, review("a SCAM link")), "blocked_term"),
                           (decide(strict, review("gg", user=OWNER)), "invalid_donation"),
                           (decide(replace(ROOM, chat_bans={"fan": -1}), review("hi")),
                            "banned")):
        assert isinstance(refused, Rejected)
        assert refused.error == error
        [answer] = refused.events
        assert isinstance(answer, DonationReviewed)
        assert (answer.approved, answer.error) == (False, error)
