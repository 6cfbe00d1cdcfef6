"""Castline's events as EventSub notifications: each type's payload in Twitch's field names,
message ids stable per event and subscription, and the catalog's requirements."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from events.ads import AdBreakStarted
from events.channels import ChannelInfoUpdated, ModeratorAdded, ModeratorRemoved
from events.chat import ChatMessagePosted
from events.chat_moderation import ChatModerated
from events.raids import RaidWent
from events.shoutouts import ShoutoutSent
from events.social import ChannelFollowed, ChannelUnfollowed
from events.streams import StreamEnded, StreamStarted
from events.subscriptions import SubscriptionEnded, SubscriptionsGifted, SubscriptionStarted
from gateways.eventsub import close_codes
from gateways.eventsub.catalog import TYPES, find
from gateways.eventsub.hub import notification
from projections.eventsub.messages import message_id, timestamp
from projections.eventsub.payloads import Lookups, Notice, completed, notices

AT = datetime(2026, 12, 6, 2, 30, 5, 123456, tzinfo=UTC)


def only(event: object) -> Notice:
    [notice] = notices(event)  # type: ignore[arg-type]
    return notice


def test_a_stream_going_live_and_ending() -> None:
    online = only(StreamStarted(channel="ann", session_id="s1", client_id="c", address="a",
                                occurred_at=AT))
    assert (online.type, online.channel) == ("stream.online", "ann")
    assert online.event == {"id": "s1", "type": "live",
                            "started_at": "2026-12-06T02:30:05.123456Z"}
    offline = only(StreamEnded(channel="ann", session_id="s1", reason="done"))
    assert (offline.type, offline.event) == ("stream.offline", {})


def test_a_follow_and_an_update() -> None:
    follow = only(ChannelFollowed(channel="ann", user_id="u2", username="bob", occurred_at=AT))
    assert (follow.type, completed(follow, Lookups())) == ("channel.follow", {
        "user_id": "u2", "user_login": "bob", "user_name": "bob",
        "followed_at": "2026-12-06T02:30:05.123456Z"})
    update = only(ChannelInfoUpdated(channel="ann", title="hi", category="Chess"))
    assert update.type == "channel.update"
    assert (update.event["title"], update.event["category_name"]) == ("hi", "Chess")
    assert notices(ChannelUnfollowed(channel="ann", user_id="u2")) == []


def test_a_chat_message_and_a_cheer() -> None:
    posted = ChatMessagePosted(channel="ann", message_id="m1", user_id="u2", username="bob",
                               display_name="Bob", text="Cheer100 hi", badges=["subscriber"],
                               bits=100, color="#ff0000")
    message, cheer = notices(posted)
    assert message.type == "channel.chat.message"
    assert (message.event["chatter_user_login"], message.event["chatter_user_name"],
            message.event["message_id"], message.event["color"]) == ("bob", "Bob", "m1",
                                                                     "#ff0000")
    assert message.event["message"]["text"] == "Cheer100 hi"
    assert message.event["message"]["fragments"][0]["type"] == "text"
    assert message.event["cheer"] == {"bits": 100}
    assert message.event["badges"][0]["set_id"] == "subscriber"
    assert (cheer.type, cheer.event["bits"], cheer.event["is_anonymous"]) == (
        "channel.cheer", 100, False)
    plain = notices(ChatMessagePosted(channel="ann", message_id="m2", user_id="u2",
                                      username="bob", display_name="Bob", text="hi"))
    assert [n.type for n in plain] == ["channel.chat.message"]


def moderated(action: str, **extra: object) -> Notice:
    return only(ChatModerated(channel="ann", action=action, by_user_id="m9",
                              target_user_id="u2", target_username="bob", occurred_at=AT,
                              **extra))  # type: ignore[arg-type]


def test_moderation() -> None:
    ban = moderated("ban", reason="spam")
    assert (ban.type, ban.event["is_permanent"], ban.event["ends_at"], ban.event["reason"],
            ban.event["moderator_user_id"]) == ("channel.ban", True, None, "spam", "m9")
    timeout = moderated("timeout", duration_s=60)
    assert (timeout.type, timeout.event["is_permanent"], timeout.event["ends_at"]) == (
        "channel.ban", False, "2026-12-06T02:31:05.123456Z")
    assert moderated("unban").type == "channel.unban"
    delete = moderated("delete", message_id="m1")
    assert (delete.type, delete.event["target_user_login"], delete.event["message_id"]) == (
        "channel.chat.message_delete", "bob", "m1")
    assert (moderated("clear").type, moderated("clear").event) == ("channel.chat.clear", {})


def test_moderators_and_ad_breaks() -> None:
    added = only(ModeratorAdded(channel="ann", user_id="u2", username="bob", by_user_id="o"))
    removed = only(ModeratorRemoved(channel="ann", user_id="u2", username="bob",
                                    by_user_id="o"))
    assert (added.type, removed.type) == ("channel.moderator.add", "channel.moderator.remove")
    assert completed(added, Lookups()) == {"user_id": "u2", "user_login": "bob",
                                           "user_name": "bob"}
    ad = only(AdBreakStarted(channel="ann", break_id="b", duration_s=90, started_at=AT,
                             scheduled=True, cpm_minor=1, currency="USD",
                             creator_share_bps=1, cooldown_s=1))
    assert (ad.type, ad.event["duration_seconds"], ad.event["is_automatic"]) == (
        "channel.ad_break.begin", 90, True)


def test_what_an_event_does_not_say_is_filled_from_the_read_models() -> None:
    follow = only(ChannelFollowed(channel="ann", user_id="u2", username="bob"))
    assert follow.users == ("u2",)
    assert completed(follow, Lookups())["user_name"] == "bob"
    found = Lookups(users={"u2": ("bob", "Bobby"), "m9": ("mia", "Mia")},
                    channels={"ann": {"title": "old", "language": "fr", "category": "Chess"}},
                    categories={"Chess": 7, "Go": 9})
    assert completed(follow, found)["user_name"] == "Bobby"
    ban = completed(moderated("ban"), found)
    assert (ban["moderator_user_login"], ban["moderator_user_name"], ban["user_name"]) == (
        "mia", "Mia", "Bobby")
    update = completed(only(ChannelInfoUpdated(channel="ann", title="new")), found)
    assert (update["title"], update["language"], update["category_name"],
            update["category_id"]) == ("new", "fr", "Chess", "7")
    moved = completed(only(ChannelInfoUpdated(channel="ann", category="Go")), found)
    assert (moved["title"], moved["category_id"]) == ("old", "9")


def test_subscriptions_gifts_and_ends() -> None:
    started = only(SubscriptionStarted(channel="ann", user_id="u2", subscription_id="s",
                                       tier=2000, period_start=AT, period_end=AT,
                                       gift_id="g1", gifted_by="u3"))
    assert (started.type, started.event["tier"], started.event["is_gift"], started.users) == (
        "channel.subscribe", "2000", True, ("u2",))
    gift = only(SubscriptionsGifted(channel="ann", gift_id="g1", gifter_id="u3", tier=1000,
                                    requested=3, recipient_ids=["a", "b"], amount_minor=1,
                                    currency="USD", processor_fee_minor=0,
                                    creator_share_minor=0, platform_share_minor=0,
                                    charge_id="c", provider="p"))
    assert (gift.type, gift.event["total"], gift.event["user_id"]) == (
        "channel.subscription.gift", 2, "u3")
    ended = only(SubscriptionEnded(channel="ann", user_id="u2", subscription_id="s",
                                   tier=1000, reason="cancelled", ended_at=AT))
    assert (ended.type, ended.event["tier"]) == ("channel.subscription.end", "1000")


def subscription_row(kind: str = "stream.online") -> dict[str, object]:
    return {"id": uuid4(), "status": "enabled", "type": kind, "version": "1",
            "condition": {"broadcaster_user_id": "b1"}, "created_at": AT,
            "method": "websocket", "session_id": "s", "connected_at": AT, "cost": 1,
            "broadcaster_id": "b1", "broadcaster_login": "ann", "broadcaster_name": "Ann"}


def test_a_notification_frame_carries_twitchs_metadata() -> None:
    row = subscription_row()
    event = StreamStarted(channel="ann", session_id="s1", client_id="c", address="a")
    message = notification(row, only(event), Lookups())
    metadata = message["metadata"]
    assert metadata["message_type"] == "notification"
    assert (metadata["subscription_type"], metadata["subscription_version"]) == (
        "stream.online", "1")
    assert metadata["message_id"] == message_id(event.event_id, str(row["id"]))
    assert message["payload"]["subscription"]["transport"] == {
        "method": "websocket", "session_id": "s", "connected_at": timestamp(AT)}
    assert message["payload"]["event"]["broadcaster_user_login"] == "ann"


def test_message_ids_are_the_same_for_an_event_read_twice_and_differ_by_subscription(
) -> None:
    event_id = uuid4()
    assert message_id(event_id, "a") == message_id(event_id, "a")
    assert message_id(event_id, "a") != message_id(event_id, "b")
    assert UUID(message_id(event_id, "a"))


@pytest.mark.parametrize(("name", "version", "scope"), [
    ("stream.online", "1", set()), ("channel.update", "2", set()),
    ("channel.follow", "2", {"moderator:read:followers"}),
    ("channel.chat.message", "1", {"user:read:chat"}),
    ("channel.cheer", "1", {"bits:read"}), ("channel.ban", "1", {"channel:moderate"}),
])
def test_the_catalog_asks_what_twitch_asks(name: str, version: str, scope: set[str]) -> None:
    kind = find(name, version)
    assert kind is not None
    assert set(kind.scope) == scope
    assert kind.cost == (0 if scope else 1)
    assert find(name, "99") is None


def test_every_type_served_has_a_mapping() -> None:
    mapped = {"stream.online", "stream.offline", "channel.update", "channel.follow",
              "channel.chat.message", "channel.chat.message_delete", "channel.chat.clear",
              "channel.cheer", "channel.ban", "channel.unban", "channel.moderator.add",
              "channel.moderator.remove", "channel.ad_break.begin", "channel.subscribe",
              "channel.subscription.gift", "channel.subscription.end", "channel.raid",
              "channel.shoutout.create"}
    assert {name for name, _ in TYPES} == mapped


def test_close_codes_are_twitchs() -> None:
    codes = [close_codes.INTERNAL_SERVER_ERROR, close_codes.CLIENT_SENT_INBOUND_TRAFFIC,
             close_codes.CLIENT_FAILED_PING_PONG, close_codes.CONNECTION_UNUSED,
             close_codes.RECONNECT_GRACE_TIME_EXPIRED, close_codes.NETWORK_TIMEOUT,
             close_codes.NETWORK_ERROR, close_codes.INVALID_RECONNECT]
    assert codes == list(range(4000, 4008))


def test_a_raid_is_told_to_either_sides_subscribers() -> None:
    went = RaidWent(channel="raider", raid_id="r", from_broadcaster_user_id="u-1",
                    from_broadcaster_user_login="raider", from_broadcaster_user_name="Raider",
                    to_broadcaster_user_id="u-2", to_broadcaster_user_login="target",
                    to_broadcaster_user_name="Target", viewers=42)
    told = notices(went)
    assert [(n.type, n.channel) for n in told] == [("channel.raid", "from:raider"),
                                                   ("channel.raid", "to:target")]
    assert told[0].event == told[1].event
    assert told[0].event["viewers"] == 42
    raid = find("channel.raid", "1")
    assert raid is not None
    assert raid.filed_under("target", {"to_broadcaster_user_id": "u-2"}) == "to:target"
    assert raid.filed_under("raider", {"from_broadcaster_user_id": "u-1"}) == "from:raider"


def test_a_shoutout_names_its_target_moderator_and_cooldowns() -> None:
    at = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    sent = ShoutoutSent(channel="shouter", to_broadcaster_user_id="u-2",
                        to_broadcaster_user_login="target", to_broadcaster_user_name="Target",
                        viewer_count=7, moderator_user_id="u-3", occurred_at=at,
                        cooldown_ends_at=at.replace(minute=2),
                        target_cooldown_ends_at=at.replace(hour=13))
    [told] = notices(sent)
    assert (told.type, told.channel, told.users) == ("channel.shoutout.create", "shouter",
                                                     ("u-3",))
    event = completed(told, Lookups(users={"u-3": ("mod", "Mod")}))
    assert (event["to_broadcaster_user_login"], event["moderator_user_login"],
            event["moderator_user_name"], event["viewer_count"]) == ("target", "mod", "Mod", 7)
    assert (event["started_at"], event["cooldown_ends_at"],
            event["target_cooldown_ends_at"]) == (timestamp(at), timestamp(at.replace(minute=2)),
                                                  timestamp(at.replace(hour=13)))
