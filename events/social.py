"""Follows: facts the gateway appends, keyed by channel so each follower's changes stay ordered."""

from __future__ import annotations

from dataclasses import dataclass

from events.base import Event

FOLLOWS_TOPIC = "follows"


@dataclass(frozen=True, kw_only=True)
class FollowEvent(Event, namespace="castline.social", topic=FOLLOWS_TOPIC, key_field="channel"):
    """A user's follow of a channel changed."""


@dataclass(frozen=True, kw_only=True)
class ChannelFollowed(FollowEvent):
    """A user follows a channel (again: following twice is the same as once)."""

    channel: str
    user_id: str
    username: str


@dataclass(frozen=True, kw_only=True)
class ChannelUnfollowed(FollowEvent):
    """A user stopped following a channel."""

    channel: str
    user_id: str
