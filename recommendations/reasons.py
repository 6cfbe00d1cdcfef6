"""What a recommendation says: the channel, why it is there, and that reason in words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReasonKind(StrEnum):
    FOLLOWED = "followed"
    CO_WATCHED = "co_watched"
    POPULAR = "popular"


@dataclass(frozen=True)
class Reason:
    """`watched` is the channel X behind a co_watched one; `category` that of a popular one."""

    kind: ReasonKind
    watched: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Recommendation:
    channel: str
    category: str
    viewers: int
    score: float
    reason: Reason
    explanation: str


def explain(channel: str, reason: Reason) -> str:
    match reason.kind:
        case ReasonKind.FOLLOWED:
            return f"{channel} is live: you follow them"
        case ReasonKind.CO_WATCHED:
            return f"Because you watched {reason.watched}"
        case ReasonKind.POPULAR:
            return f"Popular in {reason.category} right now"
