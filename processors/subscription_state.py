"""A channel's subscription state as its Faust table stores it (JSON), and read back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from processors.deciders.decisions import RememberedOutcome
from processors.deciders.subscriptions import Membership, SubscriptionState


def load_subscriptions(stored: dict[str, Any] | None) -> SubscriptionState:
    if stored is None:
        return SubscriptionState()
    return SubscriptionState(
        members={u: Membership(**{**m, "anchor": datetime.fromisoformat(m["anchor"])})
                 for u, m in stored["members"].items()},
        recent=tuple(RememberedOutcome.load(o) for o in stored["recent"]),
        charges=tuple(stored["charges"]),
    )


def dump_subscriptions(state: SubscriptionState) -> dict[str, Any]:
    return {
        "members": {u: {**vars(m), "anchor": m.anchor.isoformat()}
                    for u, m in state.members.items()},
        "recent": [vars(o) for o in state.recent],
        "charges": list(state.charges),
    }
