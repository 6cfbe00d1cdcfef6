"""Co-viewing: which channels the same viewers watch, as a neighbour list per channel."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from recommendations.inputs import CoViewingInputs, CoViewingPair

NEIGHBOURS_PER_CHANNEL = 20


@dataclass(frozen=True)
class CoViewingGraph:
    """For each channel, its strongest co-viewed channels and the weight of each pair.

    Only the `NEIGHBOURS_PER_CHANNEL` strongest are kept per channel: they carry the signal, and
    they bound the work per recommendation (history size x neighbours).
    """

    neighbours: Mapping[str, Mapping[str, float]]

    @classmethod
    def build(cls, inputs: CoViewingInputs,
              neighbours_per_channel: int = NEIGHBOURS_PER_CHANNEL) -> CoViewingGraph:
        both_ways: dict[str, dict[str, float]] = defaultdict(dict)
        for pair in inputs.pairs:
            weight = pair_weight(pair, inputs.channel_totals)
            if weight > 0 and pair.channel_a != pair.channel_b:
                both_ways[pair.channel_a][pair.channel_b] = weight
                both_ways[pair.channel_b][pair.channel_a] = weight
        return cls({channel: strongest(weights, neighbours_per_channel)
                    for channel, weights in both_ways.items()})

    def weight(self, channel_a: str, channel_b: str) -> float:
        return self.neighbours.get(channel_a, {}).get(channel_b, 0.0)


def pair_weight(pair: CoViewingPair, channel_totals: Mapping[str, float]) -> float:
    if not channel_totals:
        return pair.shared
    totals = channel_totals.get(pair.channel_a, 0.0) * channel_totals.get(pair.channel_b, 0.0)
    return pair.shared / math.sqrt(totals) if totals > 0 else 0.0


def strongest(weights: Mapping[str, float], count: int) -> dict[str, float]:
    kept = heapq.nlargest(count, weights.items(), key=lambda item: (item[1], item[0]))
    return dict(kept)


def co_viewers(histories: Iterable[Mapping[str, float]], min_minutes: float = 0.0,
               ) -> CoViewingInputs:
    """Viewers shared by each pair of channels, and viewers per channel, from watch minutes.

    What the ClickHouse aggregation computes: a viewer counts for a channel when they watched it
    at least `min_minutes`, and once for each pair of such channels.
    """
    shared: Counter[tuple[str, str]] = Counter()
    viewers: Counter[str] = Counter()
    for minutes in histories:
        watched = sorted(c for c, m in minutes.items() if m >= min_minutes)
        viewers.update(watched)
        shared.update(combinations(watched, 2))
    pairs = tuple(CoViewingPair(a, b, count) for (a, b), count in shared.items())
    return CoViewingInputs(pairs, dict(viewers))
