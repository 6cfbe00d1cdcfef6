"""The wallet state as its Faust table stores it (JSON), read back into the decider's types."""

from __future__ import annotations

from typing import Any

from processors.deciders.decisions import RememberedOutcome
from processors.deciders.wallets import Hold, PendingDonation, Purchase, WalletState


def load_wallet(stored: dict[str, Any] | None) -> WalletState:
    if stored is None:
        return WalletState()
    return WalletState(
        balance=stored["balance"],
        holds={m: Hold(**h) for m, h in stored["holds"].items()},
        donations={d: PendingDonation(**p) for d, p in stored["donations"].items()},
        recent=tuple(RememberedOutcome.load(o) for o in stored["recent"]),
        charges=tuple(stored["charges"]),
        purchases={p: Purchase(**b) for p, b in stored.get("purchases", {}).items()},
    )


def dump_wallet(state: WalletState) -> dict[str, Any]:
    return {
        "balance": state.balance,
        "holds": {m: vars(h) for m, h in state.holds.items()},
        "donations": {d: vars(p) for d, p in state.donations.items()},
        "recent": [vars(o) for o in state.recent],
        "charges": list(state.charges),
        "purchases": {p: vars(b) for p, b in state.purchases.items()},
    }
