"""Twitch's chat commands typed as a message ("/ban name", ".slow 10"), parsed (pure) into the
moderation they stand for, with the scope the same action needs over HTTP, and the NOTICE Twitch
answers once it took effect."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_TIMEOUT_S = 600
DEFAULT_SLOW_S = 30
MAX_SLOW_S = 120
MAX_TIMEOUT_S = 14 * 24 * 3600
MAX_FOLLOWERS_S = 90 * 24 * 3600
DURATION = re.compile(r"^(\d{1,9})\s*(s|m|h|d|w|mo)?[a-z]*$")
UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "mo": 30 * 86400}
USERNAME = re.compile(r"^@?([A-Za-z0-9_]{4,25})$")
BANNED_USERS, CHAT_MESSAGES = "moderator:manage:banned_users", "moderator:manage:chat_messages"


@dataclass(frozen=True)
class Moderation:
    """A ModerateChat action: ban, timeout, unban, clear or delete."""

    action: str
    username: str | None = None
    duration_s: int | None = None
    reason: str | None = None
    message_id: str | None = None

    @property
    def scope(self) -> str:
        return CHAT_MESSAGES if self.action in ("clear", "delete") else BANNED_USERS


@dataclass(frozen=True)
class ModeChange:
    """One chat mode set, the others kept: slow_mode_s, followers_only_s, subscriber_only or
    emote_only."""

    mode: str
    value: int | bool | None
    scope = "moderator:manage:chat_settings"


@dataclass(frozen=True)
class ModeratorChange:
    username: str
    add: bool
    scope = "channel:manage:moderators"


@dataclass(frozen=True)
class Unusable:
    """A command typed wrong, or not one Castline knows: the NOTICE's msg-id and text."""

    msg_id: str
    text: str


@dataclass(frozen=True)
class Announcement:
    """A message posted as an announcement (/announce, /announceblue...), by its own path."""

    text: str
    color: str


LegacyCommand = Moderation | ModeChange | ModeratorChange
Parser = Callable[[str], LegacyCommand | Announcement | None]
ANNOUNCEMENT_COLORS = ("blue", "green", "orange", "purple")


def parse_duration(text: str) -> int | None:
    """"600", "10m", "1h", "2 weeks" as seconds; None when it is none of these."""
    found = DURATION.match(text.strip().lower())
    if found is None:
        return None
    return int(found.group(1)) * UNIT_S[found.group(2) or "s"]


def parse_legacy(text: str) -> LegacyCommand | Announcement | Unusable | None:
    """The command a message holds; None when it is a message."""
    if text[:1] not in "/." or len(text) < 2 or text[1] in "/. ":
        return None
    name, _, rest = text[1:].partition(" ")
    name, rest = name.lower(), rest.strip()
    parse = _PARSERS.get(name)
    if parse is None:
        return Unusable("unrecognized_cmd", f"Unrecognized command: /{name}")
    return parse(rest) or Unusable(f"usage_{name}", _USAGE.get(name, f"Usage: /{name}"))


def _user(word: str) -> str | None:
    found = USERNAME.match(word)
    return found.group(1).lower() if found else None


def _ban(rest: str) -> LegacyCommand | None:
    word, _, reason = rest.partition(" ")
    user = _user(word)
    return Moderation("ban", user, reason=reason.strip()[:500] or None) if user else None


def _timeout(rest: str) -> LegacyCommand | None:
    words = rest.split(" ", 2)
    user = _user(words[0])
    duration = parse_duration(words[1]) if len(words) > 1 else DEFAULT_TIMEOUT_S
    if user is None or duration is None or not 1 <= duration <= MAX_TIMEOUT_S:
        return None
    reason = words[2].strip()[:500] if len(words) > 2 else None
    return Moderation("timeout", user, duration, reason or None)


def _unban(rest: str) -> LegacyCommand | None:
    user = _user(rest)
    return Moderation("unban", user) if user else None


def _slow(rest: str) -> LegacyCommand | None:
    seconds = parse_duration(rest) if rest else DEFAULT_SLOW_S
    return ModeChange("slow_mode_s", seconds) if seconds and seconds <= MAX_SLOW_S else None


def _followers(rest: str) -> LegacyCommand | None:
    found = DURATION.match(rest.replace(" ", "").lower() or "0")
    if found is None:
        return None
    seconds = int(found.group(1)) * UNIT_S[found.group(2) or "m"]  # bare: minutes, as Twitch
    return ModeChange("followers_only_s", seconds) if seconds <= MAX_FOLLOWERS_S else None


def _delete(rest: str) -> LegacyCommand | None:
    return Moderation("delete", message_id=rest) if re.fullmatch(r"[0-9a-f-]{1,64}", rest) else None


def _moderator(add: bool) -> Parser:
    def parse(rest: str) -> LegacyCommand | None:
        user = _user(rest)
        return ModeratorChange(user, add) if user else None
    return parse


def _announce(color: str) -> Parser:
    return lambda rest: Announcement(rest, color) if rest else None


def _switch(mode: str, value: int | bool | None) -> Parser:
    return lambda rest: ModeChange(mode, value)


_PARSERS: dict[str, Parser] = {
    "ban": _ban, "timeout": _timeout, "unban": _unban, "untimeout": _unban,
    "slow": _slow, "slowoff": _switch("slow_mode_s", 0),
    "followers": _followers, "followersoff": _switch("followers_only_s", None),
    "subscribers": _switch("subscriber_only", True),
    "subscribersoff": _switch("subscriber_only", False),
    "emoteonly": _switch("emote_only", True), "emoteonlyoff": _switch("emote_only", False),
    "clear": lambda rest: Moderation("clear"), "delete": _delete,
    "mod": _moderator(True), "unmod": _moderator(False), "announce": _announce("primary"),
    **{f"announce{color}": _announce(color) for color in ANNOUNCEMENT_COLORS},
}
_USAGE = {
    "ban": 'Usage: "/ban <username> [reason]"',
    "timeout": 'Usage: "/timeout <username> [duration][time unit] [reason]" (1 s to 2 weeks)',
    "unban": 'Usage: "/unban <username>"', "untimeout": 'Usage: "/untimeout <username>"',
    "slow": f'Usage: "/slow [duration]" (1 to {MAX_SLOW_S} seconds)',
    "followers": 'Usage: "/followers [duration]" (up to 3 months)',
    "delete": 'Usage: "/delete <msg id>"', "mod": 'Usage: "/mod <username>"',
    "unmod": 'Usage: "/unmod <username>"', "announce": 'Usage: "/announce <message>"',
    **{f"announce{color}": f'Usage: "/announce{color} <message>"' for color in ANNOUNCEMENT_COLORS},
}


def success(command: LegacyCommand) -> tuple[str, str] | None:
    """The msg-id and text Twitch answers a command that took effect with; a clear is
    answered by its CLEARCHAT alone."""
    if isinstance(command, ModeratorChange):
        return (("mod_success", f"You have added {command.username} as a moderator of this "
                 "channel.") if command.add else
                ("unmod_success", f"You have removed {command.username} as a moderator of "
                 "this channel."))
    if isinstance(command, ModeChange):
        return _mode_success(command)
    return _moderation_success(command)


def _moderation_success(command: Moderation) -> tuple[str, str] | None:
    user = command.username
    return {
        "ban": ("ban_success", f"{user} is now banned from this channel."),
        "timeout": ("timeout_success", f"{user} has been timed out for {command.duration_s} "
                    "seconds."),
        "unban": ("unban_success", f"{user} is no longer banned from this chat room."),
        "delete": ("delete_message_success", "The message is now deleted."),
    }.get(command.action)


def _mode_success(change: ModeChange) -> tuple[str, str]:
    on = change.value is not None and change.value is not False
    if change.mode == "slow_mode_s":
        return (("slow_on", f"This room is now in slow mode. You may send messages every "
                 f"{change.value} seconds.") if change.value else
                ("slow_off", "This room is no longer in slow mode."))
    if change.mode == "followers_only_s":
        if not on:
            return "followers_off", "This room is no longer in followers-only mode."
        if change.value == 0:
            return "followers_on_zero", "This room is now in followers-only mode."
        return ("followers_on", f"This room is now in {int(change.value or 0) // 60} minutes "
                "followers-only mode.")
    kind = "subs" if change.mode == "subscriber_only" else "emote_only"
    words = "subscribers-only" if kind == "subs" else "emote-only"
    return ((f"{kind}_on", f"This room is now in {words} mode.") if on else
            (f"{kind}_off", f"This room is no longer in {words} mode."))
