"""Cheers in chat text: each "cheer<N>" word spends N bits ("cheer100 nice play")."""

from __future__ import annotations

import re

CHEERMOTE = re.compile(r"(?<!\S)cheer(\d+)(?!\S)", re.IGNORECASE)
LARGEST = 10**9  # more digits than any balance: refused by the wallet, not overflowing


def cheered_bits(text: str) -> int | None:
    """The bits a message cheers, or None when it has no cheermote."""
    amounts = [min(int(digits), LARGEST) for digits in CHEERMOTE.findall(text)]
    return sum(amounts) if amounts else None
