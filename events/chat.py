"""Chat: a message that passed the channel decider's rules, delivered to every viewer in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from events.base import Command, Event
from events.channel_commands import CHANNEL_COMMANDS_TOPIC

CHAT_TOPIC = "chat"


@dataclass(frozen=True, kw_only=True)
class ChatEvent(Event, namespace="castline.chat", topic=CHAT_TOPIC, key_field="channel"):
    """On the chat topic, in order with the channel's messages."""


@dataclass(frozen=True, kw_only=True)
class ChatCommand(
    Command, namespace="castline.chat", topic=CHANNEL_COMMANDS_TOPIC, key_field="channel"
):
    """Asks the channel decider to post or to moderate."""


@dataclass(frozen=True, kw_only=True)
class ChatMessagePosted(ChatEvent):
    """badges: "broadcaster", "moderator", "subscriber/<tier>"; emotes: "name:start-end"
    positions in the text."""

    channel: str
    message_id: str
    user_id: str
    username: str
    display_name: str
    text: str
    badges: list[str] = field(default_factory=list)
    emotes: list[str] = field(default_factory=list)
    bits: int = 0  # v2: a cheer; the bits are spent by the cheerer's wallet
    color: str = ""  # v3: the author's chat colour, "#rrggbb"


@dataclass(frozen=True, kw_only=True)
class SendChatMessage(ChatCommand):
    """A signed-in user asks to post; the channel decider applies limits and roles."""

    channel: str
    message_id: str
    user_id: str
    username: str
    display_name: str
    text: str
    followed_at: datetime | None = None  # v2: when the author followed (followers-only mode)
    bits: int = 0  # v3: a cheer, sent by the cheerer's wallet once it holds the bits
    subscriber_tier: int | None = None  # v4: the author's subscription tier in this channel
    color: str = ""  # v5: the author's chat colour
