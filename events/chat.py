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
    # v4: a reply to a message of the last six hours, and the first message of its thread;
    # or an announcement by the broadcaster or a moderator
    reply_parent_message_id: str | None = None
    reply_parent_user_id: str = ""
    reply_parent_username: str = ""
    reply_parent_display_name: str = ""
    reply_parent_text: str = ""
    reply_thread_message_id: str | None = None
    reply_thread_username: str = ""
    announcement_color: str = ""  # an announcement: primary, blue, green, orange or purple


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
    # v6: a reply, as the gateway found the message replied to (ChatMessagePosted's v4)
    reply_parent_message_id: str | None = None
    reply_parent_user_id: str = ""
    reply_parent_username: str = ""
    reply_parent_display_name: str = ""
    reply_parent_text: str = ""
    reply_thread_message_id: str | None = None
    reply_thread_username: str = ""
    announcement_color: str = ""  # an announcement: primary, blue, green, orange or purple
