"""A user's wallet state as PostgreSQL keeps it (decider_states, kind 'wallets': one JSON
document per user), read back into the decider's types."""

from __future__ import annotations

from typing import Any

import msgspec

from processors.deciders.wallets import WalletState


def load_wallet(stored: dict[str, Any] | None) -> WalletState:
    if stored is None:
        return WalletState()
    return msgspec.convert(stored, WalletState)


def dump_wallet(state: WalletState) -> dict[str, Any]:
    stored: dict[str, Any] = msgspec.to_builtins(state)
    return stored
