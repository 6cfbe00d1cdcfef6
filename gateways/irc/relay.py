"""What an IRC client is told of a chat frame the fan-out hands over (pure): PRIVMSG for a
message, CLEARCHAT for a ban, timeout or clear, CLEARMSG for a deletion, ROOMSTATE for the chat
modes and USERNOTICE for a subscription, a gift, a donation or a raid. Frames Twitch's chat has
no line for (ad breaks, unbans, a raid's countdown in the raiding channel) are not relayed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import msgspec

from gateways.irc.lines import Line, format_line, server_line, user_prefix

FRAMES = msgspec.json.Decoder(dict[str, object])
# Twitch's tier-1 subscriber badge is version 0; the others are named by their tier.
SUBSCRIBER_BADGE_VERSION = {"1000": "0"}


@dataclass(frozen=True)
class Relayed:
    """A frame as IRC, with its tags and without (for clients that did not ask for tags)."""

    line: Line
    tagged: str
    plain: str
    message_id: str | None = None

    @property
    def command(self) -> str:
        return self.line.command


def room_state(channel: str, room_id: str, modes: dict[str, object]) -> Line:
    """All of a channel's modes; followers-only is in minutes (-1: off), slow in seconds."""
    followers = modes.get("followers_only_s")
    return server_line("ROOMSTATE", f"#{channel}", tags={
        "emote-only": _flag(modes.get("emote_only")),
        "followers-only": "-1" if followers is None else str(_int(followers) // 60),
        "r9k": "0", "room-id": room_id, "slow": str(_int(modes.get("slow_mode_s"))),
        "subs-only": _flag(modes.get("subscriber_only")),
    })


def badges_tag(badges: list[str]) -> str:
    """Castline's badges ("broadcaster", "moderator", "subscriber/<tier>") as Twitch's
    "name/version" list."""
    named = []
    for badge in badges:
        name, _, tier = badge.partition("/")
        named.append(f"{name}/{SUBSCRIBER_BADGE_VERSION.get(tier, tier or '1')}")
    return ",".join(named)


def emotes_tag(emotes: list[str]) -> str:
    """"name:start-end" positions grouped by emote, as Twitch's "id:s-e,s-e/id2:s-e"; an
    emote's id is its name."""
    grouped: dict[str, list[str]] = {}
    for emote in emotes:
        name, _, span = emote.rpartition(":")
        grouped.setdefault(name, []).append(span)
    return "/".join(f"{name}:{','.join(spans)}" for name, spans in grouped.items())


def privmsg(frame: dict[str, object], room_id: str) -> Line:
    badges = [str(b) for b in _list(frame.get("badges"))]
    staff = "moderator" in badges
    tags = {
        "badge-info": "", "badges": badges_tag(badges), "color": str(frame.get("color") or ""),
        "display-name": str(frame.get("display_name") or frame.get("username")),
        "emotes": emotes_tag([str(e) for e in _list(frame.get("emotes"))]), "first-msg": "0",
        "flags": "", "id": str(frame["id"]), "mod": _flag(staff), "room-id": room_id,
        "subscriber": _flag(any(b.startswith("subscriber") for b in badges)),
        "tmi-sent-ts": _millis(frame.get("sent_at")), "turbo": "0",
        "user-id": str(frame["user_id"]), "user-type": "mod" if staff else "",
    }
    if _int(frame.get("bits")):
        tags["bits"] = str(frame["bits"])
    reply = frame.get("reply")
    if isinstance(reply, dict):
        tags |= reply_tags(reply)
    return Line("PRIVMSG", (f"#{frame['channel']}", str(frame["text"])), tags,
                user_prefix(str(frame["username"])), trailing=True)


def announcement(frame: dict[str, object], room_id: str) -> Line:
    """Twitch's announcement: the message's own tags, as a USERNOTICE with its colour."""
    said = privmsg(frame, room_id)
    tags = {**said.tags, "login": str(frame["username"]), "msg-id": "announcement",
            "msg-param-color": str(frame["announcement"]).upper(), "system-msg": ""}
    return server_line("USERNOTICE", f"#{frame['channel']}", str(frame["text"]), tags=tags,
                       trailing=True)


def reply_tags(reply: dict[str, object]) -> dict[str, str]:
    return {"reply-parent-display-name": str(reply.get("display_name")),
            "reply-parent-msg-body": str(reply.get("text")),
            "reply-parent-msg-id": str(reply.get("message_id")),
            "reply-parent-user-id": str(reply.get("user_id")),
            "reply-parent-user-login": str(reply.get("username")),
            "reply-thread-parent-msg-id": str(reply.get("thread_message_id")),
            "reply-thread-parent-user-login": str(reply.get("thread_username"))}


def moderation(frame: dict[str, object], room_id: str) -> Line | None:
    channel, action = f"#{frame['channel']}", frame.get("action")
    tags = {"room-id": room_id, "tmi-sent-ts": _millis(None)}
    if action == "clear":
        return server_line("CLEARCHAT", channel, tags=tags)
    if action in ("ban", "timeout"):
        tags["target-user-id"] = str(frame.get("target_user_id"))
        if action == "timeout":
            tags["ban-duration"] = str(frame.get("duration_s"))
        return server_line("CLEARCHAT", channel, str(frame.get("target_username")), tags=tags,
                           trailing=True)
    if action == "delete":
        tags |= {"login": str(frame.get("target_username") or ""),
                 "target-msg-id": str(frame.get("message_id"))}
        return server_line("CLEARMSG", channel, "", tags=tags)
    return None


def donation(frame: dict[str, object], room_id: str) -> Line:
    """Twitch's chat has no donations: a USERNOTICE of Castline's own msg-id, "donation"."""
    amount, currency = _int(frame.get("amount")), str(frame.get("currency"))
    name = _display_name(frame)
    tags = {"display-name": name, "id": str(frame.get("id")), "login": str(frame.get("username")),
            "msg-id": "donation", "msg-param-amount": str(amount),
            "msg-param-currency": currency, "room-id": room_id,
            "system-msg": f"{name} donated {amount / 100:.2f} {currency}",
            "tmi-sent-ts": _millis(frame.get("sent_at")), "user-id": str(frame.get("user_id"))}
    return server_line("USERNOTICE", f"#{frame['channel']}", str(frame.get("message") or ""),
                       tags=tags, trailing=True)


def subscription(frame: dict[str, object], room_id: str) -> Line:
    """Twitch's sub, resub, subgift and submysterygift notices."""
    kind, name, tier = str(frame["kind"]), _display_name(frame), str(frame.get("tier"))
    tags = {"badges": "", "display-name": name, "id": str(frame["id"]),
            "login": str(frame.get("username")), "msg-id": kind,
            "msg-param-sub-plan": tier, "msg-param-sub-plan-name": f"Tier {tier[:1]}",
            "room-id": room_id, "system-msg": _subscription_said(frame, name, tier[:1]),
            "tmi-sent-ts": _millis(frame.get("sent_at")), "user-id": str(frame.get("user_id"))}
    recipient = frame.get("recipient")
    if isinstance(recipient, dict):
        tags |= {"msg-param-months": "1", "msg-param-gift-months": "1",
                 "msg-param-recipient-display-name": str(recipient.get("display_name")),
                 "msg-param-recipient-id": str(recipient.get("user_id")),
                 "msg-param-recipient-user-name": str(recipient.get("username"))}
    elif kind == "submysterygift":
        tags["msg-param-mass-gift-count"] = str(frame.get("gift_count"))
    else:
        tags |= {"msg-param-cumulative-months": str(frame.get("months")),
                 "msg-param-should-share-streak": "0"}
    return server_line("USERNOTICE", f"#{frame['channel']}", tags=tags)


def raid(frame: dict[str, object], room_id: str) -> Line:
    """Twitch's raid notice in the target's chat: the raider, and how many came along."""
    name, viewers = _display_name(frame), str(_int(frame.get("viewers")))
    tags = {"badge-info": "", "badges": "", "color": "", "display-name": name, "emotes": "",
            "flags": "", "id": str(frame["id"]), "login": str(frame.get("username")),
            "mod": "0", "msg-id": "raid", "msg-param-displayName": name,
            "msg-param-login": str(frame.get("username")), "msg-param-profileImageURL": "",
            "msg-param-viewerCount": viewers, "room-id": room_id, "subscriber": "0",
            "system-msg": f"{viewers} raiders from {name} have joined!",
            "tmi-sent-ts": _millis(frame.get("sent_at")), "user-id": str(frame.get("user_id")),
            "user-type": ""}
    return server_line("USERNOTICE", f"#{frame['channel']}", tags=tags)


def _subscription_said(frame: dict[str, object], name: str, tier: str) -> str:
    recipient = frame.get("recipient")
    if isinstance(recipient, dict):
        return f"{name} gifted a Tier {tier} sub to {recipient.get('display_name')}!"
    if frame["kind"] == "submysterygift":
        return (f"{name} is gifting {frame.get('gift_count')} Tier {tier} Subs to "
                f"{frame['channel']}'s community!")
    if frame["kind"] == "resub":
        months = frame.get("months")
        return f"{name} subscribed at Tier {tier}. They've subscribed for {months} months!"
    return f"{name} subscribed at Tier {tier}."


def _display_name(frame: dict[str, object]) -> str:
    return str(frame.get("display_name") or frame.get("username"))


def irc_line(frame: dict[str, object], room_id: str) -> Line | None:
    kind = frame.get("type")
    if kind == "message":
        return announcement(frame, room_id) if frame.get("announcement") else privmsg(
            frame, room_id)
    if kind == "moderation":
        return moderation(frame, room_id)
    if kind == "modes":
        return room_state(str(frame["channel"]), room_id, frame)
    if kind == "donation":
        return donation(frame, room_id)
    if kind == "subscription":
        return subscription(frame, room_id)
    if kind == "raid":
        return raid(frame, room_id)
    return None


@lru_cache(maxsize=4096)
def relayed(text: str, room_id: str) -> Relayed | None:
    """A frame as the fan-out encoded it: every session of the channel is handed the same
    string, so each is translated once for all of them."""
    frame = FRAMES.decode(text)
    line = irc_line(frame, room_id)
    if line is None:
        return None
    plain = Line(line.command, line.params, {}, line.prefix, line.trailing)
    # A sender is not told its own message again, but is its announcement, as on Twitch.
    message_id = str(frame["id"]) if line.command == "PRIVMSG" else None
    return Relayed(line, format_line(line), format_line(plain), message_id)


def _flag(value: object) -> str:
    return "1" if value else "0"


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _millis(iso: object) -> str:
    moment = datetime.fromisoformat(iso) if isinstance(iso, str) else datetime.now().astimezone()
    return str(int(moment.timestamp() * 1000))
