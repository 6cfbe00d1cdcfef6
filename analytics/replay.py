"""Rebuild analytics (ClickHouse) in the next versioned database beside the live one, verify,
switch: the pointer moves, the live sink follows it, the analysts' views are re-pointed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from clickhouse_driver import Client

from analytics import versions
from analytics.raw_tables import families_tables
from analytics.sink import ClickHouseSink, read_checkpoints, write_checkpoints
from config.settings import Settings
from events.base import Message
from feeds import locations
from feeds.consumer import FeedConsumer
from feeds.parking import KafkaDeadLetterSink
from projections.log_replay import Backlog, Positions, ReplayOptions
from projections.relocating_replay import RelocatingReplay
from projections.versions import Digest
from stores import clickhouse
from stores.postgres import connect

NAME = versions.NAME


class AnalyticsReplay(RelocatingReplay):
    def __init__(self, settings: Settings, decode: Callable[[bytes], Message],
                 options: ReplayOptions) -> None:
        self.settings, self.decode, self.options = settings, decode, options
        self.conn = connect(settings.postgres)
        self.name = NAME
        self.where = versions.live_location(self.conn, settings)
        self.target = versions.version_database(settings, self.where.version + 1)
        self.live = versions.client_on(settings, self.where.live)

    def close(self) -> None:
        if hasattr(self, "sink"):
            self.consumer.consumer.close()
            self.sink.client.disconnect()
        self.live.disconnect()
        self.conn.close()

    def prepare(self) -> Backlog:
        self.lead()
        exists = bool(self.live.execute("SELECT count() FROM system.databases "
                                        "WHERE name = %(name)s", {"name": self.target})[0][0])
        if exists and self.options.restart:
            self.live.execute(f"DROP DATABASE {self.target}")
            exists = False
        self.sink = ClickHouseSink(versions.client_on(self.settings, self.target),
                                   self.decode, KafkaDeadLetterSink(self.settings.kafka),
                                   f"{NAME}@replay")
        self.consumer = FeedConsumer(self.settings.kafka, self.sink, self.options.batch_size)
        if not exists and self.options.since is not None:
            self.save_checkpoints(f"{NAME}@replay", self.offsets_before(self.options.since))
        targets = self.live_checkpoints()
        return Backlog(targets, self.remaining(targets), exists)

    def live_checkpoints(self) -> Positions:
        return read_checkpoints(self.live, NAME)

    def digests(self, live: bool) -> list[Digest]:
        return digests(self.live if live else self.sink.client)

    def save_checkpoints(self, projection: str, positions: Positions) -> None:
        write_checkpoints(self.sink.client, projection, positions)

    def switched(self) -> None:
        versions.point_views(self.settings, self.target)


def digests(client: Client) -> list[Digest]:
    """Per table the row count and a sum of row hashes (order-free, duplicates counted)."""
    found = []
    for table in families_tables().values():
        columns = ", ".join(name for name, _ in table.columns)
        [(rows, checksum)] = client.execute(
            f"SELECT count(), sum(sipHash64(toString(tuple({columns})))) FROM {table.name}")
        found.append(Digest(table.name, rows, format(checksum, "016x")))
    return found


def drop_retired(settings: Settings) -> bool:
    """Drop the database a switch retired; False when there was none."""
    with connect(settings.postgres) as conn:
        where = versions.live_location(conn, settings)
        if where.retired is None:
            return False
        with clickhouse.connected(settings.clickhouse) as client:
            client.execute(f"DROP DATABASE IF EXISTS {where.retired}")
        locations.record(conn, NAME, replace(where, retired=None))
        return True
