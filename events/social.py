"""Follows: facts the gateway appends, keyed by channel so each follower's changes stay ordered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from events.base import Event

FOLLOWS_TOPIC = "follows"


@dataclass(frozen=True, kw_only=True)
class ChannelFollowed(Event):
    """A user follows a channel (again: following twice is the same as once)."""

    schema_name: ClassVar[str] = "castline.social.ChannelFollowed"
    topic: ClassVar[str] = FOLLOWS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    user_id: str
    username: str


@dataclass(frozen=True, kw_only=True)
class ChannelUnfollowed(Event):
    """A user stopped following a channel."""

    schema_name: ClassVar[str] = "castline.social.ChannelUnfollowed"
    topic: ClassVar[str] = FOLLOWS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    user_id: str
