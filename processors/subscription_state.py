"""A channel's subscription state as PostgreSQL keeps it (decider_states, kind
'subscriptions': one JSON document per channel, anchors as ISO 8601 text), read back into the
decider's types."""

from __future__ import annotations

from typing import Any

import msgspec

from processors.deciders.subscriptions import SubscriptionState


def load_subscriptions(stored: dict[str, Any] | None) -> SubscriptionState:
    if stored is None:
        return SubscriptionState()
    return msgspec.convert(stored, SubscriptionState)


def dump_subscriptions(state: SubscriptionState) -> dict[str, Any]:
    stored: dict[str, Any] = msgspec.to_builtins(state)
    return stored
