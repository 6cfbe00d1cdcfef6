"""Refusals and answers as Twitch's NOTICE lines, each with its documented msg-id (pure)."""

from __future__ import annotations

import math

from gateways.errors import ApiError
from gateways.irc.lines import Line, server_line

LOGIN_FAILED = "Login authentication failed"
BAD_AUTH_FORMAT = "Improperly formatted auth"
NO_PERMISSION = ("no_permission", "You don't have permission to perform that action.")


def notice(target: str, msg_id: str | None, text: str) -> Line:
    """A NOTICE to a channel ("#name") or to the connection ("*")."""
    return server_line("NOTICE", target, text, tags={"msg-id": msg_id} if msg_id else None,
                       trailing=True)


def _wait_s(refused: ApiError) -> int:
    wait = (refused.headers or {}).get("Retry-After")
    return math.ceil(float(wait)) if wait else 1


def twitch_refusal(channel: str, refused: ApiError) -> tuple[str, str]:
    """Why a message (or a moderation command) was not taken, in Twitch's terms: its msg-id
    and sentence; a refusal Twitch has no id for is msg_rejected with Castline's own sentence."""
    msg_id, text = _REFUSALS.get(refused.error, ("msg_rejected", refused.message))
    if refused.error in ("slow_mode", "timed_out"):
        text = text.format(wait=_wait_s(refused))
    return msg_id, text.replace("{channel}", channel)


def refusal_notice(channel: str, refused: ApiError) -> Line:
    return notice(f"#{channel}", *twitch_refusal(channel, refused))


_REFUSALS: dict[str, tuple[str, str]] = {
    "slow_mode": ("msg_slowmode", "This room is in slow mode and you are sending messages too "
                  "quickly. You will be able to talk again in {wait} seconds."),
    "followers_only": ("msg_followersonly", "This room is in followers-only mode. Follow "
                       "{channel} to join the community!"),
    "subscribers_only": ("msg_subsonly", "This room is in subscribers only mode. To talk, "
                         "purchase a channel subscription."),
    "emote_only": ("msg_emoteonly", "This room is in emote-only mode."),
    "banned": ("msg_banned", "You are permanently banned from talking in {channel}."),
    "timed_out": ("msg_timedout", "You are timed out for {wait} more seconds."),
    "rate_limited": ("msg_ratelimit", "Your message was not sent because you are sending "
                     "messages too quickly."),
    "blocked_term": ("msg_rejected_mandatory", "Your message wasn't posted due to conflicts "
                     "with the channel's moderation settings."),
    "invalid_text": ("msg_bad_characters", "Your message was not sent because it contained "
                     "too many unprocessable characters."),
    "forbidden": NO_PERMISSION,
    "insufficient_scope": NO_PERMISSION,
    "unauthorized": NO_PERMISSION,
    "invalid_token": NO_PERMISSION,
}
