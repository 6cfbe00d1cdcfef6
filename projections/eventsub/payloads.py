"""Castline's events as EventSub notifications: pure functions from an event to the type it
notifies and Twitch's `event` payload, less the broadcaster's fields (the subscription holds
those: broadcaster_fields). What an event does not carry (a user's login and display name, a
channel's unchanged title) is left None, named in the notice, and filled by `completed` from
the read models (Lookups)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from events.ads import AdBreakStarted
from events.base import Message
from events.channels import ChannelInfoUpdated, ModeratorAdded, ModeratorRemoved
from events.chat import ChatMessagePosted
from events.chat_moderation import ChatModerated
from events.raids import RaidWent
from events.shoutouts import ShoutoutSent
from events.social import ChannelFollowed
from events.streams import StreamEnded, StreamStarted
from events.subscriptions import SubscriptionEnded, SubscriptionsGifted, SubscriptionStarted
from projections.eventsub.messages import subscription_json, timestamp

Json = dict[str, Any]


@dataclass(frozen=True)
class Notice:
    type: str
    channel: str
    event_id: UUID
    occurred_at: datetime
    event: Json
    users: tuple[str, ...] = ()  # ids of users whose login and display name are to be filled


@dataclass(frozen=True)
class Lookups:
    """What the read models say of the users and channels notices name."""

    users: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # id: (login, name)
    channels: Mapping[str, Json] = field(default_factory=dict)  # name: title, language, ...
    categories: Mapping[str, int] = field(default_factory=dict)  # name: id


def completed(notice: Notice, found: Lookups) -> Json:
    """The notice's payload with what the read models know filled in."""
    event = dict(notice.event)
    for key, value in notice.event.items():
        if not key.endswith("user_id"):
            continue
        prefix = key.removesuffix("user_id")
        login, name = found.users.get(value, (None, None)) if value else (None, None)
        event[f"{prefix}user_login"] = event.get(f"{prefix}user_login") or login
        event[f"{prefix}user_name"] = (event.get(f"{prefix}user_name") or name
                                       or event[f"{prefix}user_login"])
    if notice.type == "channel.update":
        current = found.channels.get(notice.channel, {})
        for key, column in (("title", "title"), ("language", "language"),
                            ("category_name", "category")):
            if event[key] is None:
                event[key] = current.get(column) or ""
        category = found.categories.get(event["category_name"])
        event["category_id"] = str(category) if category is not None else ""
    return event


def notification_payload(row: Json, notice: Notice, found: Lookups) -> Json:
    """A notification's payload for the subscription (its row): the subscription and the
    event, the broadcaster's fields first."""
    event = {**broadcaster_fields(str(row["broadcaster_id"]), row["broadcaster_login"],
                                  row["broadcaster_name"]), **completed(notice, found)}
    return {"subscription": subscription_json(row), "event": event}


def broadcaster_fields(user_id: str, login: str, name: str) -> Json:
    return {"broadcaster_user_id": user_id, "broadcaster_user_login": login,
            "broadcaster_user_name": name}


def _user(prefix: str, user_id: str | None, login: str | None = None,
          name: str | None = None) -> Json:
    return {f"{prefix}user_id": user_id, f"{prefix}user_login": login,
            f"{prefix}user_name": name}


def stream_online(event: StreamStarted) -> list[Notice]:
    return [_notice("stream.online", event, {"id": event.session_id, "type": "live",
                                             "started_at": timestamp(event.occurred_at)})]


def stream_offline(event: StreamEnded) -> list[Notice]:
    return [_notice("stream.offline", event, {})]


def channel_update(event: ChannelInfoUpdated) -> list[Notice]:
    """What the event leaves unchanged is None here: the hub fills it from the read model."""
    return [_notice("channel.update", event, {
        "title": event.title, "language": event.language, "category_id": None,
        "category_name": event.category, "content_classification_labels": []})]


def channel_follow(event: ChannelFollowed) -> list[Notice]:
    return [_notice("channel.follow", event, {
        **_user("", event.user_id, event.username),
        "followed_at": timestamp(event.occurred_at)}, event.user_id)]


def chat_message(event: ChatMessagePosted) -> list[Notice]:
    chatter = _user("chatter_", event.user_id, event.username, event.display_name)
    cheer = {"bits": event.bits} if event.bits else None
    notices = [_notice("channel.chat.message", event, {
        **chatter, "message_id": event.message_id,
        "message": {"text": event.text, "fragments": [
            {"type": "text", "text": event.text, "cheermote": None, "emote": None,
             "mention": None}]},
        "message_type": "text", "color": event.color,
        "badges": [{"set_id": badge, "id": "1", "info": ""} for badge in event.badges],
        "cheer": cheer, "reply": None, "channel_points_custom_reward_id": None,
        "source_broadcaster_user_id": None, "source_broadcaster_user_login": None,
        "source_broadcaster_user_name": None, "source_message_id": None,
        "source_badges": None})]
    if event.bits:
        notices.append(_notice("channel.cheer", event, {
            "is_anonymous": False, **_user("", event.user_id, event.username,
                                           event.display_name),
            "message": event.text, "bits": event.bits}))
    return notices


def moderated(event: ChatModerated) -> list[Notice]:
    target = _user("", event.target_user_id, event.target_username)
    moderator = _user("moderator_", event.by_user_id)
    users = tuple(u for u in (event.target_user_id, event.by_user_id) if u)
    if event.action in ("ban", "timeout"):
        permanent = event.action == "ban" or not event.duration_s
        ends = None if permanent else timestamp(
            event.occurred_at + timedelta(seconds=event.duration_s or 0))
        return [_notice("channel.ban", event, {
            **target, **moderator, "reason": event.reason or "",
            "banned_at": timestamp(event.occurred_at), "ends_at": ends,
            "is_permanent": permanent}, *users)]
    if event.action == "unban":
        return [_notice("channel.unban", event, {**target, **moderator}, *users)]
    if event.action == "delete":
        return [_notice("channel.chat.message_delete", event, {
            **_user("target_", event.target_user_id, event.target_username),
            "message_id": event.message_id}, *users)]
    if event.action == "clear":
        return [_notice("channel.chat.clear", event, {})]
    return []


def moderator_added(event: ModeratorAdded) -> list[Notice]:
    return [_notice("channel.moderator.add", event, _user("", event.user_id, event.username),
                    event.user_id)]


def moderator_removed(event: ModeratorRemoved) -> list[Notice]:
    return [_notice("channel.moderator.remove", event,
                    _user("", event.user_id, event.username), event.user_id)]


def subscribed(event: SubscriptionStarted) -> list[Notice]:
    return [_notice("channel.subscribe", event, {
        **_user("", event.user_id), "tier": str(event.tier),
        "is_gift": event.gift_id is not None}, event.user_id)]


def gifted(event: SubscriptionsGifted) -> list[Notice]:
    return [_notice("channel.subscription.gift", event, {
        **_user("", event.gifter_id), "total": len(event.recipient_ids),
        "tier": str(event.tier), "cumulative_total": None, "is_anonymous": False},
        event.gifter_id)]


def subscription_ended(event: SubscriptionEnded) -> list[Notice]:
    return [_notice("channel.subscription.end", event, {
        **_user("", event.user_id), "tier": str(event.tier), "is_gift": False},
        event.user_id)]


def ad_break(event: AdBreakStarted) -> list[Notice]:
    return [_notice("channel.ad_break.begin", event, {
        "duration_seconds": event.duration_s, "started_at": timestamp(event.started_at),
        "is_automatic": event.scheduled, **_user("requester_", None)})]


def raided(event: RaidWent) -> list[Notice]:
    """One notice for each side's subscribers: the raider's (filed under "from:") and the
    target's ("to:")."""
    payload = {field: getattr(event, field) for field in (
        "from_broadcaster_user_id", "from_broadcaster_user_login", "from_broadcaster_user_name",
        "to_broadcaster_user_id", "to_broadcaster_user_login", "to_broadcaster_user_name",
        "viewers")}
    return [Notice("channel.raid", f"{side}:{login}", event.event_id, event.occurred_at,
                   payload)
            for side, login in (("from", event.from_broadcaster_user_login),
                                ("to", event.to_broadcaster_user_login))]


def shoutout(event: ShoutoutSent) -> list[Notice]:
    return [_notice("channel.shoutout.create", event, {
        "to_broadcaster_user_id": event.to_broadcaster_user_id,
        "to_broadcaster_user_login": event.to_broadcaster_user_login,
        "to_broadcaster_user_name": event.to_broadcaster_user_name,
        **_user("moderator_", event.moderator_user_id), "viewer_count": event.viewer_count,
        "started_at": timestamp(event.occurred_at),
        "cooldown_ends_at": timestamp(event.cooldown_ends_at),
        "target_cooldown_ends_at": timestamp(event.target_cooldown_ends_at)},
        event.moderator_user_id)]


def _notice(kind: str, event: Any, payload: Json, *users: str) -> Notice:
    return Notice(kind, event.channel, event.event_id, event.occurred_at, payload, users)


MAPPINGS: dict[type[Message], Callable[[Any], list[Notice]]] = {
    StreamStarted: stream_online, StreamEnded: stream_offline,
    ChannelInfoUpdated: channel_update, ChannelFollowed: channel_follow,
    ChatMessagePosted: chat_message, ChatModerated: moderated,
    ModeratorAdded: moderator_added, ModeratorRemoved: moderator_removed,
    AdBreakStarted: ad_break, SubscriptionStarted: subscribed, SubscriptionsGifted: gifted,
    SubscriptionEnded: subscription_ended, RaidWent: raided, ShoutoutSent: shoutout,
}
TOPICS = frozenset(kind.topic for kind in MAPPINGS)


def notices(event: Message) -> list[Notice]:
    """What the event notifies, in Twitch's terms; nothing for events EventSub has no type of."""
    mapping = MAPPINGS.get(type(event))
    return mapping(event) if mapping is not None else []
