"""Moderation decided per channel (pure): who may act on whom, bans and timeouts, chat modes."""

from __future__ import annotations

from dataclasses import dataclass

from events.base import Event
from events.chat_moderation import (
    PERMANENT,
    BlockedTermsChanged,
    ChatModeChanged,
    ChatModerated,
    ModerateChat,
    SetBlockedTerms,
    SetChatModes,
)
from processors.deciders.decisions import Rejected

MAX_TIMEOUT_S = 14 * 24 * 3600
TARGETED = ("timeout", "ban", "unban")
RANKED = (*TARGETED, "delete")  # actions on a user, or on a user's message: checked by rank
Bans = dict[str, float]  # user id -> banned until (epoch s), or PERMANENT


@dataclass(frozen=True)
class ChatModes:
    slow_mode_s: int = 0
    followers_only_s: int | None = None
    subscriber_only: bool = False
    emote_only: bool = False
    blocked_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Staff:
    owner_id: str | None
    moderators: tuple[str, ...]

    def may_moderate(self, actor_id: str, admin: bool) -> bool:
        return admin or actor_id == self.owner_id or actor_id in self.moderators

    def outranks(self, actor_id: str, admin: bool, target_id: str) -> bool:
        """Nobody acts on the broadcaster; only the broadcaster or an admin on a moderator."""
        if target_id == self.owner_id:
            return False
        return target_id not in self.moderators or admin or actor_id == self.owner_id


def moderate(staff: Staff, command: ModerateChat) -> list[Event] | Rejected:
    if not staff.may_moderate(command.actor_id, command.actor_admin):
        return Rejected("forbidden", "only moderators and the broadcaster may moderate")
    problem = _invalid(staff, command)
    if problem is not None:
        return problem
    duration = PERMANENT if command.action == "ban" else command.duration_s
    return [ChatModerated(
        channel=command.channel, action=command.action, by_user_id=command.actor_id,
        target_user_id=command.target_user_id, target_username=command.target_username,
        message_id=command.message_id, duration_s=duration, reason=command.reason,
        hide_history=command.hide_history and command.action in ("ban", "timeout"),
    )]


def _invalid(staff: Staff, command: ModerateChat) -> Rejected | None:
    if command.action not in (*TARGETED, "delete", "clear"):
        return Rejected("invalid_action", f"unknown action {command.action!r}", "action")
    if command.action == "delete" and not command.message_id:
        return Rejected("invalid_field", "delete needs a message id", "message_id")
    if command.action == "delete" and not command.target_user_id:
        return Rejected("invalid_field", "delete needs the message's author", "message_id")
    if command.action in TARGETED and not command.target_user_id:
        return Rejected("invalid_field", f"{command.action} needs a user", "username")
    if command.action == "timeout" and not 1 <= (command.duration_s or 0) <= MAX_TIMEOUT_S:
        return Rejected("invalid_field", f"a timeout lasts 1 to {MAX_TIMEOUT_S} s", "duration_s")
    target = command.target_user_id
    own_message = command.action == "delete" and target == command.actor_id
    if command.action in RANKED and target and not own_message and not staff.outranks(
            command.actor_id, command.actor_admin, target):
        return Rejected("forbidden", "that user may not be moderated by you", "username")
    return None


def set_modes(staff: Staff, command: SetChatModes) -> list[Event] | Rejected:
    if not staff.may_moderate(command.actor_id, command.actor_admin):
        return Rejected("forbidden", "only moderators and the broadcaster may change modes")
    return [ChatModeChanged(
        channel=command.channel, by_user_id=command.actor_id, slow_mode_s=command.slow_mode_s,
        followers_only_s=command.followers_only_s, subscriber_only=command.subscriber_only,
        emote_only=command.emote_only,
    )]


def set_blocked_terms(staff: Staff, command: SetBlockedTerms) -> list[Event] | Rejected:
    if not staff.may_moderate(command.actor_id, command.actor_admin):
        return Rejected("forbidden", "only moderators and the broadcaster may block terms")
    terms = sorted({t.strip().lower() for t in command.terms if t.strip()})
    return [BlockedTermsChanged(channel=command.channel, by_user_id=command.actor_id,
                                terms=terms)]


def record_moderation(bans: Bans, event: ChatModerated) -> Bans:
    target = event.target_user_id
    if target is None or event.action not in TARGETED:
        return bans
    if event.action == "unban":
        return {user: until for user, until in bans.items() if user != target}
    duration = event.duration_s or PERMANENT
    until = PERMANENT if duration == PERMANENT else event.occurred_at.timestamp() + duration
    return {**bans, target: until}


def modes_of(event: ChatModeChanged, current: ChatModes) -> ChatModes:
    return ChatModes(event.slow_mode_s, event.followers_only_s, event.subscriber_only,
                     event.emote_only, current.blocked_terms)
