"""What notices leave to the read models: users' logins and display names, a channel's
current title, language and category, categories' ids (payloads.completed fills them in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from projections.eventsub.payloads import Lookups, Notice

USERS = "SELECT user_id::text, username, display_name FROM users WHERE user_id = ANY(%s::uuid[])"
CHANNELS = ("SELECT channel, title, language, category FROM channels "
            "WHERE channel = ANY(%s::text[])")
CATEGORIES = "SELECT name, id FROM categories WHERE name = ANY(%s::text[])"


@dataclass(frozen=True)
class Wanted:
    users: list[str]
    channels: list[str]

    @classmethod
    def of(cls, notices: Sequence[Notice]) -> Wanted:
        users = {u for n in notices for u in n.users if _uuid_like(u)}
        channels = {n.channel for n in notices if n.type == "channel.update"}
        return cls(sorted(users), sorted(channels))

    @property
    def none(self) -> bool:
        return not self.users and not self.channels


def _uuid_like(text: str) -> bool:
    return len(text) == 36 and all(c in "0123456789abcdef-" for c in text.lower())


def categories_wanted(notices: Sequence[Notice], channels: list[tuple[Any, ...]]) -> list[str]:
    named = {n.event.get("category_name") for n in notices if n.type == "channel.update"}
    return sorted({str(c) for c in named if c} | {str(row[3]) for row in channels})


def built(users: list[tuple[Any, ...]], channels: list[tuple[Any, ...]],
          categories: list[tuple[Any, ...]]) -> Lookups:
    return Lookups(
        users={str(row[0]): (str(row[1]), str(row[2])) for row in users},
        channels={str(row[0]): {"title": row[1], "language": row[2], "category": row[3]}
                  for row in channels},
        categories={str(row[0]): int(row[1]) for row in categories})


def lookups(conn: psycopg.Connection, notices: Sequence[Notice]) -> Lookups:
    wanted = Wanted.of(notices)
    if wanted.none:
        return Lookups()
    users = conn.execute(USERS, (wanted.users,)).fetchall()
    channels = conn.execute(CHANNELS, (wanted.channels,)).fetchall()
    categories = conn.execute(CATEGORIES, (categories_wanted(notices, channels),)).fetchall()
    return built(users, channels, categories)
