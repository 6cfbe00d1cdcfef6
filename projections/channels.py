"""The channels read model in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar
from uuid import UUID

import psycopg
from psycopg.pq import TransactionStatus

from events.base import Message
from events.channels import CHANNELS_TOPIC, ChannelCreated, ChannelInfoUpdated
from feeds.records import Envelope
from projections.channel_moderators import apply_moderators
from projections.clips import apply_clips
from projections.raids import apply_raids
from projections.staging import StagingTable
from projections.streams import apply_streams
from projections.videos import apply_videos

T = TypeVar("T")

EVENT_IDS = StagingTable("channel_batch_events", (("event_id", "uuid"),))
# A new channel's row (kind NEW) or the net change to an existing one (version: the number of
# its updates; display_name, created_at and owner_id unset).
NEW, CHANGED = "new", "changed"
CHANGES = StagingTable("channel_batch_changes", (
    ("kind", "text"), ("channel", "text"), ("display_name", "text"), ("title", "text"),
    ("category", "text"), ("created_at", "timestamptz"), ("updated_at", "timestamptz"),
    ("version", "int8"), ("owner_id", "text"), ("tags", "text"), ("language", "text")))
INSERT = (
    "INSERT INTO channels (channel, display_name, title, category, created_at, updated_at, "
    "version, owner_id, tags, language) "
    "SELECT channel, display_name, title, category, created_at, updated_at, version, "
    "owner_id::uuid, string_to_array(tags, ','), language "
    "FROM pg_temp.channel_batch_changes WHERE kind = 'new' ON CONFLICT (channel) DO NOTHING"
)
UPDATE = (
    "UPDATE channels AS c SET title = COALESCE(u.title, c.title), "
    "category = COALESCE(u.category, c.category), updated_at = u.updated_at, "
    "version = c.version + u.version, language = COALESCE(u.language, c.language), "
    "tags = COALESCE(string_to_array(u.tags, ','), c.tags) "
    "FROM pg_temp.channel_batch_changes AS u WHERE u.kind = 'changed' AND c.channel = u.channel"
)


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
                               "channel_events_applied", "videos", "raids", "clips")
    # The viewer counter's, the video views projection's, the VOD recorder's and the clipper's.
    derived_columns: tuple[str, ...] = ("channels.viewer_count", "videos.view_count",
                                        "videos.files_removed_at", "clips.view_count",
                                        "clips.files_removed_at")

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        """Fold the batch per channel in log order, each event id once, then write with two
        set-based statements."""
        messages = [e.message for e in envelopes]
        fold = Fold()
        for event in _first_applications(conn, messages):
            fold.add(event)
        fold.write(conn)
        apply_moderators(conn, messages)
        apply_streams(conn, messages)
        apply_videos(conn, messages)
        apply_clips(conn, messages)
        apply_raids(conn, messages)


@dataclass
class Fold:
    """A batch's channel events per channel: a new channel's row with its updates folded in,
    or the net change to one created before the batch."""

    created: dict[str, ChannelRow] = field(default_factory=dict)
    changed: dict[str, InfoChange] = field(default_factory=dict)

    def add(self, event: ChannelCreated | ChannelInfoUpdated) -> None:
        channel = event.channel
        if isinstance(event, ChannelCreated):
            self.created.setdefault(channel, _row(event))
        elif channel in self.created:
            self.created[channel] = _updated_row(self.created[channel], event)
        else:
            self.changed[channel] = _merged(self.changed.get(channel), event)

    def write(self, conn: psycopg.Connection) -> None:
        """Staged once: the new channels inserted, then the changes to others applied."""
        if not self.created and not self.changed:
            return
        CHANGES.copy(conn, [*(_staged(NEW, row) for row in self.created.values()),
                            *(_change(CHANGED, item) for item in self.changed.items())])
        if self.created:
            conn.execute(INSERT)
        if self.changed:
            conn.execute(UPDATE)


def _first_applications(conn: psycopg.Connection, messages: Sequence[Message]
                        ) -> list[ChannelCreated | ChannelInfoUpdated]:
    """The channel events in log order whose id is applied for the first time, each once."""
    events = [m for m in messages if isinstance(m, ChannelCreated | ChannelInfoUpdated)]
    if not events or _all_first(conn, events):
        return events
    EVENT_IDS.copy(conn, ((e.event_id,) for e in events))
    new = {event_id for (event_id,) in conn.execute(
        "INSERT INTO channel_events_applied (event_id) SELECT event_id FROM "
        "pg_temp.channel_batch_events ON CONFLICT DO NOTHING RETURNING event_id")}
    first: dict[UUID, ChannelCreated | ChannelInfoUpdated] = {}
    for event in events:
        if event.event_id in new:
            first.setdefault(event.event_id, event)
    return list(first.values())


def _all_first(conn: psycopg.Connection,
               events: Sequence[ChannelCreated | ChannelInfoUpdated]) -> bool:
    """Record every id by one COPY into the table, when none of them is there yet nor twice in
    the batch (the usual case: it skips staging and a statement); False, with nothing recorded,
    when one is, for the caller to sort them out."""
    if conn.info.transaction_status != TransactionStatus.INTRANS:
        raise RuntimeError("recording event ids outside a transaction")
    try:
        with conn.transaction(), conn.cursor() as cursor, cursor.copy(
                "COPY channel_events_applied (event_id) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["uuid"])
            for event in events:
                copy.write_row((event.event_id,))
    except psycopg.errors.UniqueViolation:
        return False
    return True


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


def _staged(kind: str, row: ChannelRow) -> tuple[object, ...]:
    return (kind, row.channel, row.display_name, row.title, row.category, row.created_at,
            row.updated_at, row.version, row.owner_id, row.tags, row.language)


def _change(kind: str, item: tuple[str, InfoChange]) -> tuple[object, ...]:
    channel, change = item
    return (kind, channel, None, change.title, change.category, None, change.updated_at,
            change.count, None, change.tags, change.language)
