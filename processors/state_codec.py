"""The channel state as PostgreSQL keeps it (channel_decider_states: one JSON document per
channel), read back into the decider's types."""

from __future__ import annotations

from typing import Any

import msgspec

from processors.deciders.channels import ChannelState


def load_state(stored: dict[str, Any] | None) -> ChannelState:
    if stored is None:
        return ChannelState()
    return msgspec.convert(_upgraded(stored), ChannelState)


def dump_state(state: ChannelState) -> dict[str, Any]:
    stored: dict[str, Any] = msgspec.to_builtins(state)
    return stored


def _upgraded(stored: dict[str, Any]) -> dict[str, Any]:
    """Earlier shapes in today's: no live session or no ads kept as null (or, for the
    session, an empty object), and ad breaks that listed their viewers instead of counting
    them. A state already in today's shape is returned as it is."""
    live, ads = stored.get("live"), stored.get("ads")
    if live is not None and not live:
        stored = {**stored, "live": None}
    if ads is None and "ads" in stored:
        stored = {k: v for k, v in stored.items() if k != "ads"}
    elif ads is not None and any("viewers" in b for b in ads["breaks"]):
        stored = {**stored, "ads": {**ads, "breaks": [_counted(b) for b in ads["breaks"]]}}
    return stored


def _counted(stored_break: dict[str, Any]) -> dict[str, Any]:
    if "viewers" not in stored_break:
        return stored_break
    kept = {k: v for k, v in stored_break.items() if k != "viewers"}
    return {**kept, "impressions": len(stored_break["viewers"])}
