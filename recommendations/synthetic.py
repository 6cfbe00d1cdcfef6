"""Synthetic viewing histories, for measuring recommendations offline.

The world: categories and channels with Zipf-like popularity; channels in communities (a dozen
channels of a category whose audiences overlap, plus a couple from elsewhere), so that
co-watching carries signal. A viewer prefers one to three categories, belongs to a community in
each, and starts with a few favourite channels. Each session (in time order) watches one to three
channels: mostly favourites, else a channel of their communities, of their categories, or of the
whole platform, each drawn by popularity. A discovered channel watched long enough may become a
favourite, so a history keeps finding new channels as it goes on.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

CHANNEL_ZIPF = 1.0
CATEGORY_ZIPF = 1.1
COMMUNITY_SIZE = 12
CHANNELS_FROM_OTHER_COMMUNITIES = 2
SESSION_GAP_HOURS = 30.0
MEAN_EXTRA_SESSIONS = 20.0
MAX_SESSIONS = 120


@dataclass(frozen=True)
class WorldShape:
    viewers: int = 5000
    channels: int = 1000
    categories: int = 20
    seed: int = 1


@dataclass(frozen=True)
class Watch:
    channel: str
    minutes: float


@dataclass(frozen=True)
class Session:
    started_hour: float
    watches: tuple[Watch, ...]


@dataclass(frozen=True)
class ViewingLog:
    viewer: str
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class SyntheticWorld:
    channel_categories: Mapping[str, str]
    logs: tuple[ViewingLog, ...]


class Weighted:
    """Draws items by weight in O(log n)."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.items = sorted(weights)
        self.cumulative = list(accumulate(weights[item] for item in self.items))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]

    def draw_distinct(self, rng: random.Random, count: int) -> list[str]:
        drawn: list[str] = []
        while len(drawn) < min(count, len(self.items)):
            item = self.draw(rng)
            if item not in drawn:
                drawn.append(item)
        return drawn


@dataclass(frozen=True)
class Platform:
    """The channels and how viewers find them."""

    channel_categories: Mapping[str, str]
    categories: Weighted
    everything: Weighted
    in_category: Mapping[str, Weighted]
    communities: Mapping[str, Weighted]
    communities_of_category: Mapping[str, Weighted]


def generate(shape: WorldShape) -> SyntheticWorld:
    """The same shape and seed give the same world."""
    rng = random.Random(shape.seed)  # noqa: S311 - synthetic data, not secrets
    platform = build_platform(rng, shape)
    logs = tuple(viewer_log(rng, platform, f"viewer{n:06d}") for n in range(shape.viewers))
    return SyntheticWorld(platform.channel_categories, logs)


def build_platform(rng: random.Random, shape: WorldShape) -> Platform:
    category_weights = zipf_weights([f"category{n:02d}" for n in range(shape.categories)],
                                    CATEGORY_ZIPF)
    channels = [f"channel{n:05d}" for n in range(shape.channels)]
    rng.shuffle(channels)
    popularity = zipf_weights(channels, CHANNEL_ZIPF)
    categories = list(category_weights)
    categories_drawn = Weighted(category_weights)
    channel_categories = {channel: categories[n] if n < len(categories)
                          else categories_drawn.draw(rng) for n, channel in enumerate(channels)}
    members = communities(rng, channel_categories)
    return Platform(
        channel_categories, categories_drawn, Weighted(popularity),
        {category: by_popularity(popularity, (c for c in channels
                                               if channel_categories[c] == category))
         for category in categories},
        {name: by_popularity(popularity, chosen) for name, chosen in members.items()},
        communities_by_category(members, channel_categories, popularity))


def by_popularity(popularity: Mapping[str, float], channels: Iterable[str]) -> Weighted:
    return Weighted({channel: popularity[channel] for channel in channels})


def zipf_weights(ranked: Sequence[str], exponent: float) -> dict[str, float]:
    return {item: 1.0 / (rank + 1) ** exponent for rank, item in enumerate(ranked)}


def communities(rng: random.Random, channel_categories: Mapping[str, str]) -> dict[str, list[str]]:
    """Each category's channels split into communities, each with a few channels from others."""
    by_category: dict[str, list[str]] = defaultdict(list)
    for channel, category in sorted(channel_categories.items()):
        by_category[category].append(channel)
    members: dict[str, list[str]] = {}
    for category, channels in sorted(by_category.items()):
        rng.shuffle(channels)
        for number, start in enumerate(range(0, len(channels), COMMUNITY_SIZE)):
            members[f"{category}/{number}"] = channels[start:start + COMMUNITY_SIZE]
    everyone = sorted(channel_categories)
    for chosen in members.values():
        chosen.extend(rng.sample(everyone, CHANNELS_FROM_OTHER_COMMUNITIES))
    return members


def communities_by_category(members: Mapping[str, list[str]], channel_categories: Mapping[str, str],
                            popularity: Mapping[str, float]) -> dict[str, Weighted]:
    """A community's weight is its home channels' popularity: big ones draw more viewers."""
    weights: dict[str, dict[str, float]] = defaultdict(dict)
    for name, chosen in members.items():
        home = name.split("/")[0]
        weights[home][name] = sum(popularity[c] for c in chosen if channel_categories[c] == home)
    return {category: Weighted(by_name) for category, by_name in weights.items()}


@dataclass
class Viewer:
    """A viewer's tastes while their history is generated; favourites grow with discoveries."""

    categories: Weighted
    communities: list[Weighted]
    favourites: list[str]


def viewer_log(rng: random.Random, platform: Platform, name: str) -> ViewingLog:
    viewer = new_viewer(rng, platform)
    hour = rng.uniform(0.0, SESSION_GAP_HOURS)
    sessions = []
    for _ in range(min(MAX_SESSIONS, 5 + int(rng.expovariate(1 / MEAN_EXTRA_SESSIONS)))):
        hour += rng.expovariate(1 / SESSION_GAP_HOURS)
        watches = tuple(watch(rng, platform, viewer) for _ in range(rng.choice((1, 1, 2, 2, 3))))
        sessions.append(Session(round(hour, 2), watches))
    return ViewingLog(name, tuple(sessions))


def new_viewer(rng: random.Random, platform: Platform) -> Viewer:
    categories = platform.categories.draw_distinct(rng, rng.choice((1, 2, 2, 3, 3)))
    taste = Weighted({category: rng.gammavariate(1.0, 1.0) for category in categories})
    joined = [platform.communities[platform.communities_of_category[c].draw(rng)]
              for c in categories]
    favourites = [rng.choice(joined).draw(rng) for _ in range(rng.choice((1, 2, 3)))]
    return Viewer(taste, joined, sorted(set(favourites)))


def watch(rng: random.Random, platform: Platform, viewer: Viewer) -> Watch:
    draw = rng.random()
    if draw < 0.55:
        return Watch(rng.choice(viewer.favourites), minutes(rng, 60.0))
    if draw < 0.8:
        channel = rng.choice(viewer.communities).draw(rng)
    elif draw < 0.92:
        channel = platform.in_category[viewer.categories.draw(rng)].draw(rng)
    else:
        channel = platform.everything.draw(rng)
    watched = minutes(rng, 20.0)
    if watched > 30.0 and channel not in viewer.favourites and rng.random() < 0.3:
        viewer.favourites.append(channel)
    return Watch(channel, watched)


def minutes(rng: random.Random, median: float) -> float:
    return round(rng.lognormvariate(math.log(median), 0.7), 1)
