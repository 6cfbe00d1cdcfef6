"""Rebuild chat history (Cassandra) in a new keyspace beside the live one, verify, switch
(gateways look the keyspace up per request)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from config.settings import Settings
from events.base import Message
from feeds import locations
from feeds.consumer import FeedConsumer
from feeds.parking import KafkaDeadLetterSink
from projections.cassandra_schema import migrate_cassandra
from projections.chat_history import NAME, TABLES, ChatHistory, read_checkpoints
from projections.log_replay import Backlog, Positions, ReplayOptions
from projections.relocating_replay import RelocatingReplay
from projections.versions import Digest
from stores.cassandra import session as cassandra_session
from stores.postgres import connect


class ChatHistoryReplay(RelocatingReplay):
    def __init__(self, settings: Settings, decode: Callable[[bytes], Message],
                 options: ReplayOptions) -> None:
        self.settings, self.decode, self.options = settings, decode, options
        self.conn = connect(settings.postgres)
        self.where = locations.location(self.conn, NAME, settings.cassandra_keyspace)
        self.name = NAME
        self.target = f"{settings.cassandra_keyspace}_{NAME}_v{self.where.version + 1}"
        self.live = cassandra_session(settings, self.where.live)

    def close(self) -> None:
        if hasattr(self, "history"):
            self.consumer.consumer.close()
            self.history.session.cluster.shutdown()
        self.live.cluster.shutdown()
        self.conn.close()

    def prepare(self) -> Backlog:
        self.lead()
        resumed = self._open_keyspace()
        targets = self.live_checkpoints()
        if not resumed and self.options.since is not None:
            self.save_checkpoints(f"{NAME}@replay", self.offsets_before(self.options.since))
        return Backlog(targets, self.remaining(targets), resumed)

    def _open_keyspace(self) -> bool:
        """The new keyspace, created unless an unfinished replay left it; True if it did."""
        exists = self.target in self.live.cluster.metadata.keyspaces
        if exists and self.options.restart:
            self.live.execute(f"DROP KEYSPACE {self.target}")
            exists = False
        session = cassandra_session(self.settings)
        if exists:
            session.set_keyspace(self.target)
        else:
            migrate_cassandra(self.settings, session, self.target)
        self.history = ChatHistory(session, self.decode,
                                   KafkaDeadLetterSink(self.settings.kafka), f"{NAME}@replay")
        self.consumer = FeedConsumer(self.settings.kafka, self.history, self.options.batch_size)
        return exists

    def live_checkpoints(self) -> Positions:
        return read_checkpoints(self.live, NAME)

    def digests(self, live: bool) -> list[Digest]:
        return digests(self.live if live else self.history.session)

    def save_checkpoints(self, projection: str, positions: Positions) -> None:
        self.history.save_checkpoints(projection, positions)


def digests(session: Any) -> list[Digest]:
    """Each table's rows, printed and sorted, counted and hashed."""
    found = []
    for table in TABLES:
        rows = sorted(repr(tuple(row)) for row in session.execute(f"SELECT * FROM {table}"))
        found.append(Digest(table, len(rows),
                            hashlib.md5("\n".join(rows).encode()).hexdigest()))  # noqa: S324
    return found


def drop_retired(settings: Settings) -> bool:
    """Drop the keyspace a switch retired; False when there was none."""
    with connect(settings.postgres) as conn:
        where = locations.location(conn, NAME, settings.cassandra_keyspace)
        if where.retired is None:
            return False
        session = cassandra_session(settings)
        try:
            session.execute(f"DROP KEYSPACE {where.retired}")
        finally:
            session.cluster.shutdown()
        locations.record(conn, NAME, replace(where, retired=None))
        return True
