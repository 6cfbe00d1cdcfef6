"""A channel's recent streams, summarized for its broadcaster's dashboard: peak and average
viewers, unique viewers, watch time, new followers, chat activity and revenue.

Read from the rollups, filtered by channel inside each query so that only the channel's rows
are read (18.16 does not push a filter into a view). Viewers and chat have minute resolution:
a stream has the minutes from the one it started in up to, not including, the one it ended in
(which belongs to a stream started again at once); new followers are counted to the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from clickhouse_driver import Client

STREAMS = """
    SELECT session_id, minIf(occurred_at, started = 1) AS started_at,
           maxIf(occurred_at, started = 0) AS ended_at, countIf(started = 0) = 0 AS live
    FROM (SELECT session_id, occurred_at, toUInt8(1) AS started
          FROM raw_stream_started WHERE channel = %(channel)s
          UNION ALL
          SELECT session_id, occurred_at, toUInt8(0) AS started
          FROM raw_stream_ended WHERE channel = %(channel)s)
    GROUP BY session_id
    HAVING countIf(started = 1) > 0
       AND (started_at, session_id) < (%(before_time)s, %(before_session)s)
    ORDER BY started_at DESC, session_id DESC
    LIMIT %(limit)s"""

VIEWERS = """
    SELECT max(minute_viewers), sum(minute_viewers), uniqMerge(viewer_states)
    FROM (SELECT minute, uniqMerge(viewers) AS minute_viewers,
                 uniqMergeState(viewers) AS viewer_states
          FROM viewers_by_minute
          WHERE channel = %(channel)s AND minute >= %(first_minute)s
            AND minute < %(end_minute)s
          GROUP BY minute)"""

CHAT = """
    SELECT countMerge(messages), uniqMerge(chatters) FROM chat_by_minute
    WHERE channel = %(channel)s AND minute >= %(first_minute)s AND minute < %(end_minute)s"""

NEW_FOLLOWERS = """
    SELECT uniqExact(user_id) FROM raw_channel_followed
    WHERE channel = %(channel)s AND occurred_at >= %(start)s AND occurred_at <= %(end)s"""

# The creator's share of what viewers spent during the stream, to the second: cheers,
# donations, subscriptions bought or gifted (renewals come by the calendar, not the stream), ads.
REVENUE = """
    SELECT currency, sumIf(creator_share_minor, source = 'cheer'),
           sumIf(creator_share_minor, source = 'donation'),
           sumIf(creator_share_minor, source = 'subscription'),
           sumIf(creator_share_minor, source = 'ads')
    FROM (SELECT currency, creator_share_minor, 'cheer' AS source FROM raw_bits_cheered
          WHERE channel = %(channel)s AND occurred_at >= %(start)s AND occurred_at <= %(end)s
          UNION ALL
          SELECT currency, creator_share_minor, 'donation' AS source FROM raw_donation_made
          WHERE channel = %(channel)s AND occurred_at >= %(start)s AND occurred_at <= %(end)s
          UNION ALL
          SELECT currency, creator_share_minor, 'subscription' AS source
          FROM raw_subscription_started
          WHERE channel = %(channel)s AND occurred_at >= %(start)s AND occurred_at <= %(end)s
          UNION ALL
          SELECT currency, creator_share_minor, 'subscription' AS source
          FROM raw_subscriptions_gifted
          WHERE channel = %(channel)s AND occurred_at >= %(start)s AND occurred_at <= %(end)s
          UNION ALL
          SELECT currency, creator_share_minor, 'ads' AS source FROM raw_ad_impression_recorded
          WHERE channel = %(channel)s AND occurred_at >= %(start)s AND occurred_at <= %(end)s)
    GROUP BY currency ORDER BY currency"""

# Sorts after every stream: the first page.
LATEST = (datetime(2100, 1, 1, tzinfo=UTC), "")


@dataclass(frozen=True)
class Revenue:
    """The creator's earnings in one currency, in its minor unit."""

    currency: str
    cheers_minor: int
    donations_minor: int
    subscriptions_minor: int
    ads_minor: int

    @property
    def total_minor(self) -> int:
        return self.cheers_minor + self.donations_minor + self.subscriptions_minor + self.ads_minor


@dataclass(frozen=True)
class StreamSummary:
    session_id: str
    started_at: datetime
    ended_at: datetime | None  # None while live
    peak_viewers: int
    average_viewers: float
    unique_viewers: int
    watch_minutes: int
    new_followers: int
    chat_messages: int
    chatters: int
    revenue: tuple[Revenue, ...]

    @property
    def cursor(self) -> tuple[str, str]:
        return self.started_at.isoformat(), self.session_id


def recent_streams(client: Client, channel: str, first: int,
                   before: tuple[datetime, str] = LATEST) -> list[StreamSummary]:
    """The channel's streams that started before `before` (started_at, session_id), newest
    first."""
    streams = client.execute(STREAMS, {
        "channel": channel, "before_time": before[0], "before_session": before[1],
        "limit": first})
    now = datetime.now(UTC)
    return [summarize(client, channel, session_id, started_at, None if live else ended_at, now)
            for session_id, started_at, ended_at, live in streams]


def summarize(client: Client, channel: str, session_id: str, started_at: datetime,
              ended_at: datetime | None, now: datetime) -> StreamSummary:
    end_minute = _minute(ended_at) if ended_at else _minute(now) + timedelta(minutes=1)
    window = {"channel": channel, "start": started_at, "end": ended_at or now,
              "first_minute": _minute(started_at), "end_minute": end_minute}
    peak, watch_minutes, unique = _one(client, VIEWERS, window)
    messages, chatters = _one(client, CHAT, window)
    (followers,) = _one(client, NEW_FOLLOWERS, window)
    revenue = tuple(Revenue(currency, *(int(amount) for amount in amounts))
                    for currency, *amounts in client.execute(REVENUE, window))
    minutes_live = max(1.0, ((ended_at or now) - started_at).total_seconds() / 60)
    return StreamSummary(
        session_id=session_id, started_at=started_at, ended_at=ended_at,
        peak_viewers=int(peak), average_viewers=round(int(watch_minutes) / minutes_live, 2),
        unique_viewers=int(unique), watch_minutes=int(watch_minutes),
        new_followers=int(followers), chat_messages=int(messages), chatters=int(chatters),
        revenue=revenue)


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _one(client: Client, query: str, params: dict[str, Any]) -> tuple[Any, ...]:
    rows = client.execute(query, params)
    return tuple(rows[0])
