"""What the stores hold for some channels against the log counted once per event id: the
ClickHouse raw tables and rollups, the ledger. Each check answers its differences, {} when
there are none, so a wait can poll it until the stores have caught up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime
from typing import Any

import psycopg
from clickhouse_driver import Client

from analytics import versions
from analytics.raw_tables import table_name
from config.settings import Settings
from events.base import Event
from events.chat import ChatMessagePosted
from events.social import ChannelFollowed
from projections.ledger import entry_rows
from tests.e2e.log_reading import Log

Differences = dict[str, tuple[Any, Any]]  # what: (expected, found)
Revenue = Counter[tuple[str, str, str, str]]  # (channel, day, source, currency/figure): minor
# event id, line, source, account, amount, currency, channel, day
Entry = tuple[str, int, str, str, int, str, str, date]


def clickhouse(settings: Settings) -> Client:
    """A client on the database the analytics sink writes to."""
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        live = versions.live_location(conn, settings).live
    return versions.client_on(settings, live)


def differences(**checks: tuple[Any, Any]) -> Differences:
    """Each check whose two sides differ, with only what differs: for mappings the keys whose
    values differ, for sets what is missing and what is extra."""
    return {what: _apart(*pair) for what, pair in checks.items() if pair[0] != pair[1]}


def _apart(expected: Any, found: Any) -> tuple[Any, Any]:
    if isinstance(expected, dict) and isinstance(found, dict):
        keys = {k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k)}
        return ({k: expected.get(k) for k in keys}, {k: found.get(k) for k in keys})
    if isinstance(expected, set) and isinstance(found, set):
        return expected - found, found - expected
    return expected, found


def of_channels(channels: Collection[str]) -> Any:
    return lambda event: getattr(event, "channel", None) in channels


def raw_rows(client: Client, log: Log, channels: Collection[str],
             kinds: Iterable[type[Event]]) -> Differences:
    """Each raw table holds each of the channels' events once, every one the log holds."""
    found = {}
    for kind in kinds:
        expected = Counter(e.event_id for e in log.distinct(of_channels(channels))
                           if isinstance(e, kind))
        rows = client.execute(f"SELECT event_id, count() FROM {table_name(kind)} "
                              "WHERE channel IN %(c)s GROUP BY event_id", {"c": tuple(channels)})
        found[table_name(kind)] = (expected, Counter(dict(rows)))
    return differences(**found)


def minute(at: datetime) -> datetime:
    naive = at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
    return naive.replace(second=0, microsecond=0)


def day(at: datetime) -> date:
    return at.astimezone(UTC).date()


def chat_activity(client: Client, log: Log, channels: Collection[str]) -> Differences:
    """Messages and chatters per channel and minute, as chat_activity_per_minute has them."""
    messages: Counter[tuple[str, datetime]] = Counter()
    chatters: dict[tuple[str, datetime], set[str]] = {}
    for event in log.distinct(of_channels(channels)):
        if isinstance(event, ChatMessagePosted):
            at = (event.channel, minute(event.occurred_at))
            messages[at] += 1
            chatters.setdefault(at, set()).add(event.user_id)
    rows = client.execute("SELECT channel, minute, messages, chatters FROM "
                          "chat_activity_per_minute WHERE channel IN %(c)s", {"c": tuple(channels)})
    return differences(
        chat_messages=(dict(messages), {(c, minute(m)): n for c, m, n, _ in rows}),
        chatters=({at: len(users) for at, users in chatters.items()},
                  {(c, minute(m)): n for c, m, _, n in rows}))


def follows_per_day(client: Client, log: Log, channels: Collection[str]) -> Differences:
    expected = Counter((e.channel, day(e.occurred_at)) for e in log.distinct(
        of_channels(channels)) if isinstance(e, ChannelFollowed))
    rows = client.execute("SELECT channel, day, follows FROM follows_per_day "
                          "WHERE channel IN %(c)s AND follows > 0", {"c": tuple(channels)})
    return differences(follows_per_day=(dict(expected), {(c, d): n for c, d, n in rows}))


def logged_entries(log: Log, channels: Collection[str]) -> set[Entry]:
    """The ledger entries the channels' money events make, each event once."""
    return {(str(r[0]), int(str(r[1])), str(r[2]), str(r[3]), int(str(r[4])), str(r[5]),
             str(r[6]), day(r[7]))  # type: ignore[arg-type]
            for event in log.distinct(of_channels(channels)) for r in entry_rows(event)}


def ledger_entries(settings: Settings, channels: Collection[str]) -> set[Entry]:
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT event_id::text, line, source, account, amount_minor, currency, channel, "
            "(occurred_at AT TIME ZONE 'UTC')::date FROM ledger_entries "
            "WHERE channel = ANY(%s)", (list(channels),)).fetchall()
    return {(r[0], r[1], r[2], r[3], r[4], r[5].strip(), r[6], r[7]) for r in rows}


def revenue_of(entries: Iterable[Entry]) -> Revenue:
    """Per channel, day, source, currency and figure, as revenue_per_day sums them: what was
    paid (each transaction's one debit) and the creator's, platform's and processor's parts."""
    revenue: Revenue = Counter()
    for _, _, source, account, amount, currency, channel, on in entries:
        figure = "gross" if amount < 0 else account.split(":")[0]
        revenue[(channel, on.isoformat(), source, f"{currency}/{figure}")] += abs(amount)
    return revenue


def clickhouse_revenue(client: Client, channels: Collection[str]) -> Revenue:
    rows = client.execute(
        "SELECT channel, day, source, currency, gross_amount, creator_amount, platform_amount, "
        "processor_amount FROM revenue_per_day WHERE channel IN %(c)s", {"c": tuple(channels)})
    revenue: Revenue = Counter()
    for channel, on, source, currency, *figures in rows:
        for name, amount in zip(("gross", "creator", "platform", "processor"), figures,
                                strict=True):
            if amount:
                revenue[(channel, on.isoformat(), source, f"{currency}/{name}")] += amount
    return revenue
