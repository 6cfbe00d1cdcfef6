"""What a recommendation is computed from, in the shape the read models give it.

PostgreSQL gives the follows and the live channels; ClickHouse gives a viewer's watch minutes
per channel and the co-viewing pairs (viewers or minutes two channels share, with each
channel's own total for normalising).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LiveChannel:
    """A channel live now."""

    channel: str
    category: str
    viewers: int


@dataclass(frozen=True)
class ViewerHistory:
    """A signed-in viewer: minutes watched per channel, and the channels they follow."""

    watch_minutes: Mapping[str, float]
    follows: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CoViewingPair:
    """How much channels A and B share: viewers who watched both, or minutes watched on both.

    Order does not matter; (A, B) and (B, A) are one pair.
    """

    channel_a: str
    channel_b: str
    shared: float


@dataclass(frozen=True)
class CoViewingInputs:
    """The pairs, and each channel's own total in the same unit (its viewers or minutes).

    With the totals the weight of a pair is `shared / sqrt(total_a * total_b)` (cosine), so
    that the biggest channels are not everyone's neighbours; without them it is `shared`.
    """

    pairs: tuple[CoViewingPair, ...]
    channel_totals: Mapping[str, float] = field(default_factory=dict)
