"""Chat: a message that passed the channel decider's rules, delivered to every viewer in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from events.base import Command, Event
from events.channel_commands import CHANNEL_COMMANDS_TOPIC

CHAT_TOPIC = "chat"


@dataclass(frozen=True, kw_only=True)
class ChatMessagePosted(Event):
    """badges: "broadcaster", "moderator", "subscriber/<tier>"; emotes: "name:start-end"
    positions in the text."""

    schema_name: ClassVar[str] = "castline.chat.ChatMessagePosted"
    topic: ClassVar[str] = CHAT_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    message_id: str
    user_id: str
    username: str
    display_name: str
    text: str
    badges: list[str] = field(default_factory=list)
    emotes: list[str] = field(default_factory=list)
    bits: int = 0  # v2: a cheer; the bits are spent by the cheerer's wallet


@dataclass(frozen=True, kw_only=True)
class SendChatMessage(Command):
    """A signed-in user asks to post; the channel decider applies limits and roles."""

    schema_name: ClassVar[str] = "castline.chat.SendChatMessage"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    message_id: str
    user_id: str
    username: str
    display_name: str
    text: str
    followed_at: datetime | None = None  # v2: when the author followed (followers-only mode)
    bits: int = 0  # v3: a cheer, sent by the cheerer's wallet once it holds the bits
    subscriber_tier: int | None = None  # v4: the author's subscription tier in this channel
