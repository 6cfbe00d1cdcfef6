"""The recommendation rule.

A signed-in viewer gets their followed channels that are live, then live channels co-watched
with what they watched, then popular live channels; an anonymous viewer gets popular ones.
Channels the viewer already watched or follows are not offered again except as followed.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from recommendations.coviewing import CoViewingGraph
from recommendations.inputs import LiveChannel, ViewerHistory
from recommendations.live import LiveNow
from recommendations.reasons import Reason, ReasonKind, Recommendation, explain

CATEGORY_AFFINITY_FLOOR = 0.5
"""Affinity of a category the viewer never watched: it lowers such channels, never hides them."""


@dataclass(frozen=True)
class Recommender:
    """What all viewers share at a moment: live channels, co-viewing, every channel's category
    (for channels of a history that are offline now)."""

    live: LiveNow
    coviewing: CoViewingGraph
    channel_categories: Mapping[str, str]

    def recommend(self, viewer: ViewerHistory | None, limit: int = 10) -> list[Recommendation]:
        """Up to `limit` live channels, best first; `viewer` None is an anonymous viewer."""
        if viewer is None:
            return popular(self.live, set(), limit)
        known = viewer.follows.union(viewer.watch_minutes)
        picked = (followed_live(viewer, self.live) + self.co_watched(viewer, known, limit))[:limit]
        shown = known | {r.channel for r in picked}
        return picked + popular(self.live, shown, limit - len(picked))

    def co_watched(self, viewer: ViewerHistory, known: Iterable[str],
                   limit: int) -> list[Recommendation]:
        """Ranked by co-viewing weight x category affinity x viewers factor."""
        weights, because = co_viewing_weights(viewer.watch_minutes, self.coviewing)
        affinity = category_affinity(viewer.watch_minutes, self.channel_categories, self.live)
        for channel in known:
            weights.pop(channel, None)
        scored = [
            (weight * affinity.get(live.category, CATEGORY_AFFINITY_FLOOR)
             * viewers_factor(live.viewers), live)
            for channel, weight in weights.items()
            if (live := self.live.channels.get(channel)) is not None]
        best = heapq.nsmallest(limit, scored, key=lambda s: (-s[0], s[1].channel))
        return [recommendation(live, score, Reason(ReasonKind.CO_WATCHED, because[live.channel]))
                for score, live in best]


def followed_live(viewer: ViewerHistory, live: LiveNow) -> list[Recommendation]:
    """The viewer's most watched first, then the most viewed."""
    channels = [live.channels[c] for c in viewer.follows if c in live.channels]
    channels.sort(key=lambda c: (-viewer.watch_minutes.get(c.channel, 0.0), -c.viewers, c.channel))
    return [recommendation(c, viewer.watch_minutes.get(c.channel, 0.0), Reason(ReasonKind.FOLLOWED))
            for c in channels]


def popular(live: LiveNow, excluded: Set[str], limit: int) -> list[Recommendation]:
    picked: list[Recommendation] = []
    for channel in live.popular:
        if len(picked) >= limit:
            break
        if channel.channel not in excluded:
            reason = Reason(ReasonKind.POPULAR, category=channel.category)
            picked.append(recommendation(channel, float(channel.viewers), reason))
    return picked


def co_viewing_weights(watch_minutes: Mapping[str, float], coviewing: CoViewingGraph,
                       ) -> tuple[dict[str, float], dict[str, str]]:
    """Each co-viewed channel's weight summed over the history, and the watched channel that
    gave it the most."""
    weights: dict[str, float] = defaultdict(float)
    strongest: dict[str, tuple[float, str]] = {}
    for watched, minutes in watch_minutes.items():
        interest = history_weight(minutes)
        for channel, pair_weight in coviewing.neighbours.get(watched, {}).items():
            contribution = interest * pair_weight
            weights[channel] += contribution
            if contribution > strongest.get(channel, (0.0, ""))[0]:
                strongest[channel] = (contribution, watched)
    return weights, {channel: watched for channel, (_, watched) in strongest.items()}


def category_affinity(watch_minutes: Mapping[str, float], channel_categories: Mapping[str, str],
                      live: LiveNow) -> dict[str, float]:
    """The floor plus the share of the viewer's minutes spent in each category."""
    minutes_by_category: dict[str, float] = defaultdict(float)
    for channel, minutes in watch_minutes.items():
        category = channel_categories.get(channel) or category_if_live(channel, live)
        if category is not None:
            minutes_by_category[category] += minutes
    total = sum(minutes_by_category.values()) or 1.0
    return {category: CATEGORY_AFFINITY_FLOOR + minutes / total
            for category, minutes in minutes_by_category.items()}


def category_if_live(channel: str, live: LiveNow) -> str | None:
    found = live.channels.get(channel)
    return found.category if found is not None else None


def history_weight(minutes: float) -> float:
    """How much a watched channel speaks for the viewer: grows with minutes, slower and slower."""
    return math.log1p(max(minutes, 0.0))


def viewers_factor(viewers: int) -> float:
    """Favours channels with an audience now, without letting the biggest crowd out the rest."""
    return math.log(2 + max(viewers, 0))


def recommendation(channel: LiveChannel, score: float, reason: Reason) -> Recommendation:
    return Recommendation(channel.channel, channel.category, channel.viewers, score, reason,
                          explain(channel.channel, reason))
