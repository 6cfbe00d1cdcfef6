"""The channels live now, indexed once per snapshot for every viewer's recommendations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, zip_longest

from recommendations.inputs import LiveChannel

POPULAR_CATEGORIES = 5


@dataclass(frozen=True)
class LiveNow:
    """Live channels by name, and the order popular ones are offered in.

    `popular` takes the most viewed channel of each of the `POPULAR_CATEGORIES` categories with
    the most viewers, then the second of each, and so on; then every other live channel by
    viewers. So a front page spans the top categories instead of the biggest one only.
    """

    channels: Mapping[str, LiveChannel]
    popular: tuple[LiveChannel, ...]

    @classmethod
    def of(cls, live: Iterable[LiveChannel],
           popular_categories: int = POPULAR_CATEGORIES) -> LiveNow:
        channels = {c.channel: c for c in live}
        return cls(channels, diversified(channels.values(), popular_categories))


def diversified(live: Iterable[LiveChannel], categories: int) -> tuple[LiveChannel, ...]:
    by_category: dict[str, list[LiveChannel]] = defaultdict(list)
    for channel in sorted(live, key=by_viewers):
        by_category[channel.category].append(channel)
    ranked = sorted(by_category, key=lambda c: (-sum(ch.viewers for ch in by_category[c]), c))
    top = [by_category[category] for category in ranked[:categories]]
    rounds = [c for c in chain.from_iterable(zip_longest(*top)) if c is not None]
    rest = sorted(chain.from_iterable(by_category[c] for c in ranked[categories:]), key=by_viewers)
    return (*rounds, *rest)


def by_viewers(channel: LiveChannel) -> tuple[int, str]:
    return -channel.viewers, channel.channel
