"""Reading chat history backwards across day buckets, hiding deleted and purged messages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from projections.chat_history import ALL_USERS, day_of

MAX_DAYS_BACK = 30


@dataclass(frozen=True)
class Hidden:
    deleted: frozenset[str]
    purged: dict[str, datetime]  # user id (or ALL_USERS) -> messages up to then are hidden

    def hides(self, row: Any) -> bool:
        if row.message_id in self.deleted:
            return True
        return any(user in (row.user_id, ALL_USERS) and row.sent_at <= until
                   for user, until in self.purged.items())


def listed(row: Any) -> tuple[list[str], list[str]]:
    """A row's badges and emotes: JSON text, or the lists of rows written before."""
    if row.badge_list is not None:
        return json.loads(row.badge_list), json.loads(row.emote_list or "[]")
    return list(row.badges or []), list(row.emotes or [])


def hidden(session: Any, channel: str) -> Hidden:
    deleted = {r.message_id for r in session.execute(
        "SELECT message_id FROM chat_deleted WHERE channel = %s", (channel,))}
    purged = {r.user_id: r.purged_at for r in session.execute(
        "SELECT user_id, purged_at FROM chat_purges WHERE channel = %s", (channel,))}
    return Hidden(frozenset(deleted), purged)


def days_back(start: datetime) -> list[str]:
    return [day_of(start - timedelta(days=n)) for n in range(MAX_DAYS_BACK)]


PAGE = 200


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended: its last message's time and id."""

    sent_at: datetime
    message_id: str


def _after(row: Any, cursor: Cursor | None) -> bool:
    """Clustering is (sent_at DESC, message_id ASC): is the row past the cursor?"""
    if cursor is None or row.sent_at < cursor.sent_at:
        return True
    return bool(row.sent_at == cursor.sent_at and row.message_id > cursor.message_id)


def _day(session: Any, channel: str, day: str, cursor: Cursor | None,
         until: datetime) -> list[Any]:
    """Every row of one day bucket past the cursor, paged by clustering key (sent_at <= the
    last page's oldest time, so equal times are not lost; seen ids are skipped)."""
    rows: list[Any] = []
    seen: set[str] = set()
    bound = until
    while True:
        page = list(session.execute(
            "SELECT * FROM chat_messages WHERE channel = %s AND day = %s AND sent_at <= %s "
            "LIMIT %s", (channel, day, bound, PAGE)))
        new = [r for r in page if r.message_id not in seen]
        seen.update(r.message_id for r in new)
        rows += [r for r in new if _after(r, cursor)]
        if len(page) < PAGE or not new:
            return rows
        bound = page[-1].sent_at


def last_messages(session: Any, channel: str, first: int, cursor: Cursor | None) -> list[Any]:
    """Up to `first` visible messages older than the cursor (or all), newest first."""
    until = cursor.sent_at if cursor else datetime.now(UTC).replace(tzinfo=None)
    hide = hidden(session, channel)
    found: list[Any] = []
    for day in days_back(until.replace(tzinfo=UTC)):
        found += [r for r in _day(session, channel, day, cursor, until) if not hide.hides(r)]
        if len(found) >= first:
            break
    return found[:first]
