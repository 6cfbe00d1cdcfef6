"""Made-up channels for the search bench, and the queries people type for them.

Names are built from syllables (so prefixes are shared the way real ones are), titles from a
gaming vocabulary, and a few percent of channels are live with heavy-tailed viewer counts.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

SYLLABLES = ("ka", "zu", "ri", "mo", "la", "xen", "tor", "vi", "na", "dex", "sha", "po", "gen",
             "lu", "mi", "ra", "qua", "bel", "fin", "gor", "ash", "kel", "ny", "ox", "pri",
             "sol", "tam", "ul", "vor", "wyn", "yu", "zel")
SUFFIXES = ("", "", "", "_tv", "_gg", "plays", "_live", "ttv", "42", "99", "_x", "2")
TITLE_WORDS = (
    "speedrun", "any%", "glitchless", "ranked", "grind", "chill", "vibes", "first", "playthrough",
    "blind", "hardcore", "challenge", "road", "to", "diamond", "master", "champion", "tournament",
    "practice", "build", "base", "raid", "night", "morning", "coffee", "stream", "with", "viewers",
    "new", "update", "patch", "season", "ladder", "solo", "duo", "squad", "wins", "only",
    "learning", "the", "game", "boss", "rush", "100%", "randomizer", "marathon", "charity",
    "day", "hype", "drops", "enabled", "chat", "decides", "music", "lofi", "art", "drawing",
    "coding", "python", "rust", "retro", "classic", "nostalgia", "horror", "cozy", "farming",
    "creative", "survival", "modded", "vanilla", "pvp", "arena", "clutch", "aim", "training",
)
TAGS = ("English", "Deutsch", "Espanol", "Francais", "Speedrun", "Chill", "Competitive",
        "Casual", "NoBackseating", "Educational", "Cozy", "Retro", "Esports", "Drops", "Music")
LANGUAGES = ("en", "en", "en", "de", "fr", "es", "pt", "ja", "ko", "other")
LIVE_SHARE = 0.05
STARTED = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Channel:
    channel: str
    display_name: str
    title: str
    category: str
    tags: list[str]
    language: str
    live_session_id: UUID | None
    viewer_count: int


def channels(count: int, categories: list[str], rng: random.Random) -> list[Channel]:
    names: set[str] = set()
    while len(names) < count:
        names.add(_name(rng))
    return [_channel(name, categories, rng) for name in sorted(names)]


def _name(rng: random.Random) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return f"{stem}{rng.choice(SUFFIXES)}{rng.randint(0, 999) if rng.random() < 0.3 else ''}"


def _channel(name: str, categories: list[str], rng: random.Random) -> Channel:
    live = rng.random() < LIVE_SHARE
    return Channel(
        channel=name,
        display_name=name.capitalize() if rng.random() < 0.5 else name,
        title=" ".join(rng.choices(TITLE_WORDS, k=rng.randint(3, 8))),
        category=rng.choice(categories),
        tags=rng.sample(TAGS, rng.randint(0, 3)),
        language=rng.choice(LANGUAGES),
        live_session_id=UUID(int=rng.getrandbits(128)) if live else None,
        viewer_count=min(int(rng.paretovariate(1.1)), 200_000) if live else 0,
    )


def queries(made: list[Channel], per_kind: int, rng: random.Random) -> dict[str, list[str]]:
    """What people type: the start of a name, a name with a typo, words of titles."""
    kinds: dict[str, Callable[[], str]] = {
        "name prefix": lambda: rng.choice(made).channel[:rng.randint(2, 5)],
        "name with a typo": lambda: _typo(rng.choice(made).channel, rng),
        "title words": lambda: " ".join(rng.sample(TITLE_WORDS, rng.randint(1, 2))),
    }
    return {kind: [make() for _ in range(per_kind)] for kind, make in kinds.items()}


def _typo(name: str, rng: random.Random) -> str:
    """One letter swapped with the next, dropped, doubled or replaced."""
    at = rng.randrange(1, len(name) - 1)
    edits = (
        name[:at] + name[at + 1] + name[at] + name[at + 2:],
        name[:at] + name[at + 1:],
        name[:at] + name[at] + name[at:],
        name[:at] + rng.choice("aeiounrst") + name[at + 1:],
    )
    return rng.choice(edits)
