"""Chat rules decided per channel (pure): length, rate limits by role, badges, emotes.

A message says the author's subscription tier, as the gateway read it from the subscriptions
read model when it was sent (as it says when they followed, for followers-only mode), and the
message it replies to, as the gateway found it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from events.chat import ChatMessagePosted, SendChatMessage
from events.chat_moderation import PERMANENT
from processors.deciders.chat_moderation import Bans, ChatModes
from processors.deciders.decisions import Rejected

MAX_LENGTH = 500
WINDOW_S = 30.0
GLOBAL_EMOTES = frozenset({"Kappa", "PogChamp", "LUL", "GG", "HeyGuys", "BibleThump", "Kreygasm"})
WORD = re.compile(r"\S+")
REPLY_FIELDS = tuple(f.name for f in fields(SendChatMessage) if f.name.startswith("reply_"))

Recent = dict[str, tuple[float, ...]]  # user id -> times of their messages in the window


@dataclass(frozen=True)
class RateLimits:
    """Messages per WINDOW_S: for viewers, and for the broadcaster and moderators."""

    viewer: int = 20
    privileged: int = 100


DEFAULT_LIMITS = RateLimits()


@dataclass(frozen=True)
class Poster:
    """The room a message is posted into: its staff, bans and modes."""

    owner_id: str | None
    moderators: tuple[str, ...]
    bans: Bans = field(default_factory=dict)
    modes: ChatModes = field(default_factory=ChatModes)
    limits: RateLimits = field(default_factory=RateLimits)

    def staff_badges(self, user_id: str) -> list[str]:
        if user_id == self.owner_id:
            return ["broadcaster"]
        return ["moderator"] if user_id in self.moderators else []


def subscriber_badges(command: SendChatMessage) -> list[str]:
    return [] if command.subscriber_tier is None else [f"subscriber/{command.subscriber_tier}"]


def emote_positions(text: str) -> list[str]:
    """"name:start-end" (inclusive, as Twitch's IRC tags) for each emote word in the text."""
    return [f"{m.group()}:{m.start()}-{m.end() - 1}" for m in WORD.finditer(text)
            if m.group() in GLOBAL_EMOTES]


def post(recent: Recent, poster: Poster, command: SendChatMessage) -> ChatMessagePosted | Rejected:
    """Times are the gateway's issue times, so replaying the log decides the same way."""
    text = command.text.strip()
    if not text or len(text) > MAX_LENGTH:
        return Rejected("invalid_message", f"a message is 1 to {MAX_LENGTH} characters", "text")
    now = command.issued_at.timestamp()
    mine = [t for t in recent.get(command.user_id, ()) if t > now - WINDOW_S]
    staff = poster.staff_badges(command.user_id)
    refused = banned(poster.bans, command.user_id, now) or (
        None if staff else _announcing(command) or _modes(poster.modes, command, text, mine,
                                                           now))
    if refused is not None:
        return refused
    limit = poster.limits.privileged if staff else poster.limits.viewer
    if len(mine) >= limit:
        wait = round(mine[0] + WINDOW_S - now, 3)
        return Rejected("rate_limited", f"at most {limit} messages per {WINDOW_S:.0f} s; "
                        f"wait {wait} s", retry_after_s=wait)
    return ChatMessagePosted(
        channel=command.channel, message_id=command.message_id, user_id=command.user_id,
        username=command.username, display_name=command.display_name, text=text,
        badges=[*staff, *subscriber_badges(command)], emotes=emote_positions(text),
        # The decider stamps the id it derives from the command (derived.stamped); the
        # command's own id until then spares drawing a random one per message.
        event_id=command.command_id, occurred_at=command.issued_at, bits=command.bits,
        color=command.color, announcement_color=command.announcement_color,
        **{name: getattr(command, name) for name in REPLY_FIELDS},
    )


def _announcing(command: SendChatMessage) -> Rejected | None:
    if not command.announcement_color:
        return None
    return Rejected("forbidden", "only the broadcaster and moderators make announcements")


def record(recent: Recent, posted: ChatMessagePosted) -> Recent:
    """The message counts against its author; users silent for a window are forgotten."""
    now = posted.occurred_at.timestamp()
    mine = tuple(t for t in recent.get(posted.user_id, ()) if t > now - WINDOW_S)
    updated = {**recent, posted.user_id: (*mine, now)}
    return {user: times for user, times in updated.items() if times[-1] > now - WINDOW_S}


def banned(bans: Bans, user_id: str, now: float) -> Rejected | None:
    until = bans.get(user_id)
    if until is None or (until != PERMANENT and until <= now):
        return None
    if until == PERMANENT:
        return Rejected("banned", "you are banned from this chat")
    wait = round(until - now, 3)
    return Rejected("timed_out", f"you are timed out for {wait} s", retry_after_s=wait)


def _modes(modes: ChatModes, command: SendChatMessage, text: str, mine: list[float],
           now: float) -> Rejected | None:
    """The chat modes and blocked terms, which the broadcaster and moderators are not held to."""
    lowered = text.lower()
    if any(term in lowered for term in modes.blocked_terms):
        return Rejected("blocked_term", "the message contains a term blocked in this chat")
    if modes.subscriber_only and command.subscriber_tier is None:
        return Rejected("subscribers_only", "the chat is in subscriber-only mode")
    if modes.followers_only_s is not None:
        followed = command.followed_at.timestamp() if command.followed_at else None
        if followed is None or now - followed < modes.followers_only_s:
            return Rejected("followers_only", "followers-only mode: follow for at least "
                            f"{modes.followers_only_s} s to chat")
    if modes.emote_only and not all(w in GLOBAL_EMOTES for w in text.split()):
        return Rejected("emote_only", "the chat is in emote-only mode")
    if modes.slow_mode_s and mine and now - mine[-1] < modes.slow_mode_s:
        wait = round(mine[-1] + modes.slow_mode_s - now, 3)
        return Rejected("slow_mode", f"slow mode: wait {wait} s", retry_after_s=wait)
    return None
