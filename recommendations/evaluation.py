"""Offline measurement: hold out the end of each history, recommend from the rest, count hits.

Each viewer's sessions are split in time order: the last `HELD_OUT_FRACTION` (at least one
session) are held out. The targets are the channels watched in the held-out sessions that the
training part never watched: recommending what the viewer already knows is no discovery. A
viewer without such a channel is not evaluated. A hit is a target among the top `limit`.

The model sees each viewer's training minutes and no follows (follows are known channels, which
cannot be hits); co-viewing and channel viewers come from everybody's training part, as the
ClickHouse views would have them at the cut. Every channel is assumed live, with its number of
training viewers as its current viewers.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from recommendations.coviewing import CoViewingGraph, co_viewers
from recommendations.inputs import LiveChannel, ViewerHistory
from recommendations.live import LiveNow
from recommendations.model import Recommender
from recommendations.synthetic import Session, SyntheticWorld, ViewingLog

HELD_OUT_FRACTION = 0.2
MIN_MINUTES_FOR_COVIEWING = 5.0

Recommend = Callable[[Mapping[str, float], int], Sequence[str]]
"""A viewer's training minutes and a limit -> channels, best first."""


@dataclass(frozen=True)
class HeldOut:
    viewer: str
    training: Mapping[str, float]
    targets: frozenset[str]


@dataclass(frozen=True)
class Split:
    """Every viewer's split; those with targets are evaluated, everybody's training counts."""

    histories: tuple[HeldOut, ...]

    @property
    def evaluated(self) -> tuple[HeldOut, ...]:
        return tuple(h for h in self.histories if h.targets)


def split(world: SyntheticWorld, fraction: float = HELD_OUT_FRACTION) -> Split:
    return Split(tuple(hold_out(log, fraction) for log in world.logs))


def hold_out(log: ViewingLog, fraction: float) -> HeldOut:
    sessions = sorted(log.sessions, key=lambda s: s.started_hour)
    cut = len(sessions) - max(1, math.ceil(len(sessions) * fraction))
    training = watch_minutes(sessions[:cut])
    later = watch_minutes(sessions[cut:])
    return HeldOut(log.viewer, training, frozenset(later.keys() - training.keys()))


def watch_minutes(sessions: Iterable[Session]) -> dict[str, float]:
    minutes: dict[str, float] = defaultdict(float)
    for session in sessions:
        for watched in session.watches:
            minutes[watched.channel] += watched.minutes
    return dict(minutes)


def trained_recommender(world: SyntheticWorld, histories: Sequence[HeldOut]) -> Recommender:
    training = [h.training for h in histories]
    coviewing = co_viewers(training, MIN_MINUTES_FOR_COVIEWING)
    live = LiveNow.of(LiveChannel(channel, category, int(coviewing.channel_totals.get(channel, 0)))
                      for channel, category in world.channel_categories.items())
    return Recommender(live, CoViewingGraph.build(coviewing), world.channel_categories)


def model(recommender: Recommender) -> Recommend:
    def recommend(training: Mapping[str, float], limit: int) -> list[str]:
        return [r.channel for r in recommender.recommend(ViewerHistory(training), limit)]
    return recommend


def most_popular(histories: Sequence[HeldOut]) -> Recommend:
    """The most watched channels (training minutes, everybody), less those the viewer watched."""
    totals: Counter[str] = Counter()
    for history in histories:
        totals.update(history.training)
    ranked = [channel for channel, _ in totals.most_common()]

    def recommend(training: Mapping[str, float], limit: int) -> list[str]:
        return [channel for channel in ranked if channel not in training][:limit]
    return recommend


def hit_rate(recommend: Recommend, histories: Sequence[HeldOut], limit: int = 10) -> float:
    hits = sum(1 for h in histories if h.targets.intersection(recommend(h.training, limit)))
    return hits / len(histories) if histories else 0.0
