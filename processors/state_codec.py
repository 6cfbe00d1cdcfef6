"""The channel state as the Faust table stores it (JSON), read back into the decider's types."""

from __future__ import annotations

from typing import Any

from processors.deciders.ads import AdBreak, AdState
from processors.deciders.channels import ChannelState
from processors.deciders.chat_moderation import ChatModes
from processors.deciders.decisions import RememberedOutcome
from processors.deciders.streams import LiveSession


def load_state(stored: dict[str, Any] | None) -> ChannelState:
    if stored is None:
        return ChannelState()
    recent = tuple(RememberedOutcome.load(o) for o in stored["recent"])
    live = stored.get("live")
    return ChannelState(stored["exists"], stored["title"], stored["category"], recent,
                        stored.get("owner_id"), tuple(stored.get("moderators", ())),
                        stored.get("key_hash"), LiveSession(**live) if live else None,
                        tuple(stored.get("tags", ())), stored.get("language", ""),
                        stored.get("suspended", False),
                        {u: tuple(t) for u, t in stored.get("chat_recent", {}).items()},
                        dict(stored.get("chat_bans", {})),
                        _modes(stored.get("chat_modes", {})), _ads(stored.get("ads")))


def _ads(stored: dict[str, Any] | None) -> AdState:
    if stored is None:
        return AdState()
    return AdState(**{**stored, "breaks": tuple(_ad_break(b) for b in stored["breaks"])})


def _ad_break(stored: dict[str, Any]) -> AdBreak:
    """States stored before breaks kept only a count listed their viewers."""
    fields = {k: v for k, v in stored.items() if k != "viewers"}
    if "viewers" in stored:
        fields["impressions"] = len(stored["viewers"])
    return AdBreak(**fields)


def _modes(stored: dict[str, Any]) -> ChatModes:
    return ChatModes(**{**stored, "blocked_terms": tuple(stored.get("blocked_terms", ()))})


def dump_state(state: ChannelState) -> dict[str, Any]:
    """What the table stores: shallow copies (JSON turns tuples into lists); much cheaper than
    dataclasses.asdict, which deep-copies every remembered outcome on every command."""
    stored = dict(vars(state))
    stored["recent"] = [vars(outcome) for outcome in state.recent]
    stored["live"] = vars(state.live) if state.live else None
    stored["chat_modes"] = vars(state.chat_modes)
    stored["ads"] = {**vars(state.ads), "breaks": [vars(b) for b in state.ads.breaks]}
    return stored
