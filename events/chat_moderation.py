"""Moderation: commands for the channel decider, and the events it records on the chat topic
(so clients get them in order with the messages)."""

from __future__ import annotations

from dataclasses import dataclass, field

from events.chat import ChatCommand, ChatEvent

PERMANENT = -1  # a ban's duration; a timeout's is 1 s to 14 days


@dataclass(frozen=True, kw_only=True)
class ModerateChat(ChatCommand):
    """action: "delete" (message_id), "clear", "timeout" (target, duration_s), "ban", "unban"."""

    channel: str
    action: str
    actor_id: str
    actor_admin: bool = False
    target_user_id: str | None = None
    target_username: str | None = None
    message_id: str | None = None
    duration_s: int | None = None
    reason: str | None = None
    hide_history: bool = True  # a ban or timeout also hides the target's earlier messages


@dataclass(frozen=True, kw_only=True)
class SetChatModes(ChatCommand):
    """followers_only_s: None is off, 0 means any follower; slow_mode_s 0 is off."""

    channel: str
    actor_id: str
    actor_admin: bool = False
    slow_mode_s: int = 0
    followers_only_s: int | None = None
    subscriber_only: bool = False
    emote_only: bool = False


@dataclass(frozen=True, kw_only=True)
class ChatModerated(ChatEvent):
    """A moderation action took effect: see ModerateChat for the actions and their fields."""

    channel: str
    action: str
    by_user_id: str
    target_user_id: str | None = None
    target_username: str | None = None
    message_id: str | None = None
    duration_s: int | None = None
    reason: str | None = None
    hide_history: bool = True


@dataclass(frozen=True, kw_only=True)
class ChatModeChanged(ChatEvent):
    """The channel's chat modes, all of them, as they now are."""

    channel: str
    by_user_id: str
    slow_mode_s: int = 0
    followers_only_s: int | None = None
    subscriber_only: bool = False
    emote_only: bool = False


@dataclass(frozen=True, kw_only=True)
class SetBlockedTerms(ChatCommand):
    """Replace the channel's blocked terms (matched case-insensitively within messages)."""

    channel: str
    actor_id: str
    actor_admin: bool = False
    terms: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class BlockedTermsChanged(ChatEvent):
    """The channel's blocked terms, all of them, as they now are."""

    channel: str
    by_user_id: str
    terms: list[str] = field(default_factory=list)
