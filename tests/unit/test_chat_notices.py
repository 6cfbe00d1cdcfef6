"""Subscription events as chat notices, and those notices as Twitch's USERNOTICE lines."""

from __future__ import annotations

from datetime import UTC, datetime

from events.subscriptions import SubscriptionRenewed, SubscriptionsGifted, SubscriptionStarted
from gateways.chat_notices import notice_frames
from gateways.irc.relay import irc_line

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
NAMES = {"u-1": ("fan", "Fan"), "u-2": ("pal", "Pal"), "u-3": ("kid", "Kid")}
MONEY = {"amount_minor": 499, "currency": "USD", "processor_fee_minor": 30,
         "creator_share_minor": 235, "platform_share_minor": 234, "charge_id": "c",
         "provider": "p"}


def started(**extra: object) -> SubscriptionStarted:
    return SubscriptionStarted(channel="chan", user_id="u-1", subscription_id="s", tier=1000,
                               period_start=NOW, period_end=NOW, **extra)  # type: ignore[arg-type]


def gifted(*recipients: str) -> SubscriptionsGifted:
    return SubscriptionsGifted(channel="chan", gift_id="g", gifter_id="u-1", tier=2000,
                               requested=len(recipients), recipient_ids=list(recipients),
                               **MONEY)  # type: ignore[arg-type]


def test_a_new_subscriber_is_a_sub_notice() -> None:
    [frame] = notice_frames(started(), NAMES)
    assert frame["kind"] == "sub"
    assert frame["display_name"] == "Fan"
    assert frame["months"] == 1
    line = irc_line(frame, "r-1")
    assert line is not None
    assert (line.command, line.params) == ("USERNOTICE", ("#chan",))
    assert {k: line.tags[k] for k in ("msg-id", "login", "msg-param-sub-plan",
                                      "msg-param-cumulative-months", "system-msg")} == {
        "msg-id": "sub", "login": "fan", "msg-param-sub-plan": "1000",
        "msg-param-cumulative-months": "1", "system-msg": "Fan subscribed at Tier 1."}


def test_a_renewal_is_a_resub_with_its_months() -> None:
    renewed = SubscriptionRenewed(channel="chan", user_id="u-1", subscription_id="s",
                                  tier=3000, period=2, period_start=NOW, period_end=NOW,
                                  **MONEY)  # type: ignore[arg-type]
    [frame] = notice_frames(renewed, NAMES)
    line = irc_line(frame, "r-1")
    assert line is not None
    assert (line.tags["msg-id"], line.tags["msg-param-cumulative-months"]) == ("resub", "3")


def test_a_gift_to_one_is_a_subgift_and_its_start_tells_nothing_more() -> None:
    [frame] = notice_frames(gifted("u-2"), NAMES)
    line = irc_line(frame, "r-1")
    assert line is not None
    assert {k: line.tags[k] for k in ("msg-id", "login", "msg-param-recipient-user-name",
                                      "msg-param-recipient-display-name",
                                      "msg-param-recipient-id")} == {
        "msg-id": "subgift", "login": "fan", "msg-param-recipient-user-name": "pal",
        "msg-param-recipient-display-name": "Pal", "msg-param-recipient-id": "u-2"}
    assert notice_frames(started(gift_id="g", gifted_by="u-1"), NAMES) == []


def test_gifts_to_several_are_one_mystery_gift_then_one_notice_each() -> None:
    event = gifted("u-2", "u-3")
    frames = notice_frames(event, NAMES)
    assert [f["kind"] for f in frames] == ["submysterygift", "subgift", "subgift"]
    assert len({f["id"] for f in frames}) == 3
    mystery = irc_line(frames[0], "r-1")
    assert mystery is not None
    assert mystery.tags["msg-param-mass-gift-count"] == "2"
    assert mystery.tags["system-msg"] == "Fan is gifting 2 Tier 2 Subs to chan's community!"


def test_unknown_names_still_make_a_notice() -> None:
    [frame] = notice_frames(started(), {})
    assert (frame["username"], frame["user_id"]) == ("", "u-1")
