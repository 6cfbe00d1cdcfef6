"""The channels read model in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import psycopg

from events.channels import CHANNELS_TOPIC, ChannelCreated, ChannelInfoUpdated
from projections.channel_moderators import apply_moderators
from projections.runner import Envelope
from projections.streams import apply_streams


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


@dataclass(frozen=True, slots=True)
class InfoChange:
    """Net effect of a batch's updates on a channel created before the batch."""

    title: str | None
    category: str | None
    updated_at: datetime
    count: int


class ChannelsProjection:
    name: str = "channels"
    topics: tuple[str, ...] = (CHANNELS_TOPIC,)

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        """Fold the batch per channel in log order, then write with two set-based statements."""
        created: dict[str, ChannelRow] = {}
        changed: dict[str, InfoChange] = {}
        for envelope in envelopes:
            event = envelope.message
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


def _row(event: ChannelCreated) -> ChannelRow:
    return ChannelRow(
        event.channel, event.display_name, event.title, event.category,
        event.occurred_at, event.occurred_at, 1, event.owner_id,
    )


def _updated_row(row: ChannelRow, event: ChannelInfoUpdated) -> ChannelRow:
    return replace(
        row,
        title=event.title if event.title is not None else row.title,
        category=event.category if event.category is not None else row.category,
        updated_at=event.occurred_at,
        version=row.version + 1,
    )


def _merged(change: InfoChange | None, event: ChannelInfoUpdated) -> InfoChange:
    if change is None:
        return InfoChange(event.title, event.category, event.occurred_at, 1)
    return InfoChange(
        event.title if event.title is not None else change.title,
        event.category if event.category is not None else change.category,
        event.occurred_at,
        change.count + 1,
    )


def _insert(conn: psycopg.Connection, rows: list[ChannelRow]) -> None:
    if not rows:
        return
    conn.execute(
        "INSERT INTO channels "
        "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], "
        "%s::timestamptz[], %s::timestamptz[], %s::bigint[], %s::uuid[]) "
        "ON CONFLICT (channel) DO NOTHING",
        [list(column) for column in zip(*(_astuple(r) for r in rows), strict=True)],
    )


def _update(conn: psycopg.Connection, changed: dict[str, InfoChange]) -> None:
    if not changed:
        return
    conn.execute(
        "UPDATE channels AS c SET title = COALESCE(u.title, c.title), "
        "category = COALESCE(u.category, c.category), updated_at = u.updated_at, "
        "version = c.version + u.n "
        "FROM unnest(%s::text[], %s::text[], %s::text[], %s::timestamptz[], %s::int[]) "
        "AS u(channel, title, category, updated_at, n) WHERE c.channel = u.channel",
        (
            list(changed),
            [c.title for c in changed.values()],
            [c.category for c in changed.values()],
            [c.updated_at for c in changed.values()],
            [c.count for c in changed.values()],
        ),
    )


def _astuple(row: ChannelRow) -> tuple[object, ...]:
    return (
        row.channel, row.display_name, row.title, row.category,
        row.created_at, row.updated_at, row.version, row.owner_id,
    )
