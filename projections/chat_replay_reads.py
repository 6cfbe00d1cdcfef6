"""Reading chat history forwards over a stretch of time (a video's), as a replay shows it:
oldest first from a start, across day buckets, hiding what chat history hides."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from projections.chat_history import day_of
from projections.chat_history_reads import Cursor, hidden


def days_between(start: datetime, end: datetime) -> list[str]:
    """The day buckets from start's to end's, in order."""
    return [day_of(start + timedelta(days=n)) for n in range((end.date() - start.date()).days + 1)]


def _select(session: Any, channel: str, day: str, where: str, values: tuple[Any, ...],
            limit: int | None) -> list[Any]:
    cql = (f"SELECT * FROM chat_messages WHERE channel = %s AND day = %s AND {where} "
           "ORDER BY sent_at ASC")
    if limit is None:
        return list(session.execute(cql, (channel, day, *values)))
    return list(session.execute(f"{cql} LIMIT %s", (channel, day, *values, limit)))


def _forward(session: Any, channel: str, day: str, start: Cursor, end: datetime,
             limit: int) -> Iterator[Any]:
    """One day bucket's rows after `start` and before `end`, oldest first. Rows of one time
    (Cassandra keeps milliseconds) come in id order: read whole, as few share a millisecond."""
    cursor = start
    while True:
        ties = _select(session, channel, day, "sent_at = %s", (cursor.sent_at,), None)
        yield from sorted((r for r in ties if r.message_id > cursor.message_id),
                          key=lambda r: r.message_id)
        page = _select(session, channel, day, "sent_at > %s AND sent_at < %s",
                       (cursor.sent_at, end), limit)
        if not page:
            return
        last = page[-1].sent_at
        yield from (r for r in page if r.sent_at < last)
        cursor = Cursor(last, "")


def replayed_messages(session: Any, channel: str, start: Cursor, end: datetime,
                      first: int) -> list[Any]:
    """Up to `first` visible messages after the cursor (a start time with message id "" to
    include that time's) and before `end`, oldest first. Times are naive UTC, as stored."""
    hide = hidden(session, channel)
    found: list[Any] = []
    for day in days_between(start.sent_at, end):
        for row in _forward(session, channel, day, start, end, first):
            if not hide.hides(row):
                found.append(row)
                if len(found) == first:
                    return found
    return found
