"""Reading chat history backwards across day buckets, hiding deleted and purged messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
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


def removed(session: Any, channel: str, message_id: str, user_id: str, sent_at: datetime
            ) -> bool:
    """Whether moderation hid one message sent at `sent_at` (naive UTC): deleted, or
    before a clear or a ban that hid its author's messages."""
    if session.execute("SELECT message_id FROM chat_deleted WHERE channel = %s AND "
                       "message_id = %s", (channel, message_id)).one() is not None:
        return True
    for user in (user_id, ALL_USERS):  # Cassandra 1.2 takes no IN on a clustering column
        purge = session.execute("SELECT purged_at FROM chat_purges WHERE channel = %s AND "
                                "user_id = %s", (channel, user)).one()
        if purge is not None and sent_at <= purge.purged_at:
            return True
    return False


def days_back(start: datetime) -> list[str]:
    return [day_of(start - timedelta(days=n)) for n in range(MAX_DAYS_BACK)]


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended: its last message's time and id."""

    sent_at: datetime
    message_id: str


def _select(session: Any, channel: str, day: str, where: str, values: tuple[Any, ...],
            limit: int) -> list[Any]:
    return list(session.execute(
        f"SELECT * FROM chat_messages WHERE channel = %s AND day = %s AND {where} LIMIT %s",
        (channel, day, *values, limit)))


def _ties(session: Any, channel: str, day: str, cursor: Cursor, limit: int) -> Iterator[Any]:
    """The rows at the cursor's time after its id (ids ascend within one time)."""
    while True:
        page = _select(session, channel, day, "sent_at = %s AND message_id > %s",
                       (cursor.sent_at, cursor.message_id), limit)
        yield from page
        if len(page) < limit:
            return
        cursor = Cursor(cursor.sent_at, page[-1].message_id)


def _rows(session: Any, channel: str, day: str, cursor: Cursor | None, until: datetime,
          limit: int) -> Iterator[Any]:
    """One day bucket's rows past the cursor (or from `until` back), in clustering order
    (sent_at DESC, message_id ASC), read `limit` at a time and only as far as they are taken."""
    if cursor is None:
        page = _select(session, channel, day, "sent_at <= %s", (until,), limit)
        yield from page
        if len(page) < limit:
            return
        cursor = Cursor(page[-1].sent_at, page[-1].message_id)
    while True:
        yield from _ties(session, channel, day, cursor, limit)
        page = _select(session, channel, day, "sent_at < %s", (cursor.sent_at,), limit)
        yield from page
        if len(page) < limit:
            return
        cursor = Cursor(page[-1].sent_at, page[-1].message_id)


def last_messages(session: Any, channel: str, first: int, cursor: Cursor | None) -> list[Any]:
    """Up to `first` visible messages older than the cursor (or all), newest first."""
    until = cursor.sent_at if cursor else datetime.now(UTC).replace(tzinfo=None)
    hide = hidden(session, channel)
    found: list[Any] = []
    for day in days_back(until.replace(tzinfo=UTC)):
        for row in _rows(session, channel, day, cursor, until, first):
            if not hide.hides(row):
                found.append(row)
                if len(found) == first:
                    return found
        cursor = None  # the cursor's day is the first; older days hold only older rows
    return found


def chat_modes(session: Any, channel: str) -> dict[str, Any]:
    """The channel's chat modes as its last ChatModeChanged left them; all off before any."""
    row = session.execute("SELECT slow_mode_s, followers_only_s, subscriber_only, emote_only "
                          "FROM chat_modes WHERE channel = %s", (channel,)).one()
    if row is None:
        return {"slow_mode_s": 0, "followers_only_s": None, "subscriber_only": False,
                "emote_only": False}
    followers_only_s = None if row.followers_only_s in (None, -1) else row.followers_only_s
    return {"slow_mode_s": row.slow_mode_s or 0, "followers_only_s": followers_only_s,
            "subscriber_only": bool(row.subscriber_only), "emote_only": bool(row.emote_only)}
