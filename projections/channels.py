"""The channels read model in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar
from uuid import UUID

import psycopg

from events.base import Message
from events.channels import CHANNELS_TOPIC, ChannelCreated, ChannelInfoUpdated
from feeds.records import Envelope
from projections.channel_moderators import apply_moderators
from projections.streams import apply_streams

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ChannelRow:
    channel: str
    display_name: str
    title: str
    category: str
    created_at: datetime
    updated_at: datetime
    version: int
    owner_id: str | None
    tags: str = ""  # comma-joined: tags are letters and digits only
    language: str = ""


@dataclass(frozen=True, slots=True)
class InfoChange:
    """Net effect of a batch's updates on a channel created before the batch.

    None means unchanged; tags are comma-joined so a batch travels as flat arrays.
    """

    title: str | None
    category: str | None
    updated_at: datetime
    count: int
    tags: str | None = None
    language: str | None = None


class ChannelsProjection:
    name: str = "channels"
    topics: tuple[str, ...] = (CHANNELS_TOPIC,)
    tables: tuple[str, ...] = ("channels", "channel_moderators", "streams", "publish_rejections",
                               "channel_events_applied")
    derived_columns: tuple[str, ...] = ("channels.viewer_count",)  # the viewer counter's

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        """Fold the batch per channel in log order, each event id once, then write with two
        set-based statements."""
        created: dict[str, ChannelRow] = {}
        changed: dict[str, InfoChange] = {}
        for event in _first_applications(conn, [e.message for e in envelopes]):
            if isinstance(event, ChannelCreated):
                created.setdefault(event.channel, _row(event))
            elif isinstance(event, ChannelInfoUpdated):
                if event.channel in created:
                    created[event.channel] = _updated_row(created[event.channel], event)
                else:
                    changed[event.channel] = _merged(changed.get(event.channel), event)
        _insert(conn, list(created.values()))
        _update(conn, changed)
        messages = [e.message for e in envelopes]
        apply_moderators(conn, messages)
        apply_streams(conn, messages)


def _first_applications(conn: psycopg.Connection, messages: Sequence[Message]
                        ) -> list[ChannelCreated | ChannelInfoUpdated]:
    """The channel events in log order whose id is applied for the first time, each once."""
    events = [m for m in messages if isinstance(m, ChannelCreated | ChannelInfoUpdated)]
    if not events:
        return []
    new = {event_id for (event_id,) in conn.execute(
        "INSERT INTO channel_events_applied (event_id) SELECT unnest(%s::uuid[]) "
        "ON CONFLICT DO NOTHING RETURNING event_id", ([e.event_id for e in events],))}
    first: dict[UUID, ChannelCreated | ChannelInfoUpdated] = {}
    for event in events:
        if event.event_id in new:
            first.setdefault(event.event_id, event)
    return list(first.values())


def _row(event: ChannelCreated) -> ChannelRow:
    return ChannelRow(
        event.channel, event.display_name, event.title, event.category,
        event.occurred_at, event.occurred_at, 1, event.owner_id,
    )


def _joined(tags: list[str] | None) -> str | None:
    return None if tags is None else ",".join(tags)


def _updated_row(row: ChannelRow, event: ChannelInfoUpdated) -> ChannelRow:
    return replace(
        row,
        title=_newer(event.title, row.title),
        category=_newer(event.category, row.category),
        tags=_newer(_joined(event.tags), row.tags),
        language=_newer(event.language, row.language),
        updated_at=event.occurred_at,
        version=row.version + 1,
    )


def _merged(change: InfoChange | None, event: ChannelInfoUpdated) -> InfoChange:
    base = change or InfoChange(None, None, event.occurred_at, 0)
    return InfoChange(
        _newer(event.title, base.title), _newer(event.category, base.category),
        event.occurred_at, base.count + 1,
        _newer(_joined(event.tags), base.tags), _newer(event.language, base.language),
    )


def _newer(value: T | None, current: T) -> T:
    return value if value is not None else current


def _insert(conn: psycopg.Connection, rows: list[ChannelRow]) -> None:
    if not rows:
        return
    conn.execute(
        "INSERT INTO channels (channel, display_name, title, category, created_at, updated_at, "
        "version, owner_id, tags, language) "
        "SELECT c, d, t, g, ca, ua, v, o, string_to_array(tg, ','), l FROM unnest("
        "%s::text[], %s::text[], %s::text[], %s::text[], %s::timestamptz[], "
        "%s::timestamptz[], %s::bigint[], %s::uuid[], %s::text[], %s::text[]) "
        "AS u(c, d, t, g, ca, ua, v, o, tg, l) ON CONFLICT (channel) DO NOTHING",
        [list(column) for column in zip(*(_astuple(r) for r in rows), strict=True)],
    )


def _update(conn: psycopg.Connection, changed: dict[str, InfoChange]) -> None:
    if not changed:
        return
    conn.execute(
        "UPDATE channels AS c SET title = COALESCE(u.title, c.title), "
        "category = COALESCE(u.category, c.category), updated_at = u.updated_at, "
        "version = c.version + u.n, language = COALESCE(u.language, c.language), "
        "tags = COALESCE(string_to_array(u.tags, ','), c.tags) "
        "FROM unnest(%s::text[], %s::text[], %s::text[], %s::timestamptz[], %s::int[], "
        "%s::text[], %s::text[]) AS u(channel, title, category, updated_at, n, tags, language) "
        "WHERE c.channel = u.channel",
        (
            list(changed),
            [c.title for c in changed.values()],
            [c.category for c in changed.values()],
            [c.updated_at for c in changed.values()],
            [c.count for c in changed.values()],
            [c.tags for c in changed.values()],
            [c.language for c in changed.values()],
        ),
    )


def _astuple(row: ChannelRow) -> tuple[object, ...]:
    return (
        row.channel, row.display_name, row.title, row.category,
        row.created_at, row.updated_at, row.version, row.owner_id, row.tags, row.language,
    )
