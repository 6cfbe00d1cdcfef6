"""A replay into a new location (a Cassandra keyspace, a ClickHouse database) that one row in
PostgreSQL (projection_locations) switches to.

These stores have no transaction to hold the live projector still, so a comparison counts
only when the live checkpoints did not move while both versions were read. After the switch
the live projector moves within a second and reads on from the new location's checkpoints
(its writes are idempotent), so nothing it wrote to the old location in between is lost.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from dataclasses import replace

import psycopg

from feeds import locations
from feeds.leases import try_exclusive
from projections.log_replay import LogReplay, Positions, ReplayError, Verification
from projections.versions import Digest

COMPARE_ATTEMPTS = 5


class RelocatingReplay(LogReplay):
    name: str  # the live projection's
    conn: psycopg.Connection
    where: locations.Location  # the live one
    target: str  # the new location

    @abstractmethod
    def digests(self, live: bool) -> list[Digest]: ...

    @abstractmethod
    def save_checkpoints(self, projection: str, positions: Positions) -> None:
        """Write positions as `projection`'s checkpoints in the new location."""

    def lead(self) -> None:
        """Refuse while a retired version is kept or another replay of it runs."""
        if self.where.retired is not None:
            raise ReplayError(f"a retired version of {self.name} is still kept; drop it first "
                              f"(castline replay {self.name} --drop-retired)")
        if not try_exclusive(self.conn, f"{self.name}@replay"):
            raise ReplayError(f"another replay of {self.name} is running")

    def finish(self) -> Verification:
        verification = self._compare()
        if not self.options.switch or not (
                verification.matches or self.options.accept_difference):
            return verification
        self.save_checkpoints(self.name, self.consumer.feed.checkpoints())
        locations.record(self.conn, self.name, locations.Location(
            self.target, self.where.version + 1, retired=self.where.live))
        self.switched()
        return replace(verification, switched=True)

    def switched(self) -> None:
        """What else follows the switch (nothing, unless overridden)."""

    def _compare(self) -> Verification:
        for _ in range(COMPARE_ATTEMPTS):
            targets = self.live_checkpoints()
            self.consumer.catch_up(targets, lambda _: None, threading.Event())
            live, replayed = self.digests(live=True), self.digests(live=False)
            if self.live_checkpoints() == targets:
                return Verification(live, replayed)
        raise ReplayError(f"the live {self.name} kept moving while it was compared; run again "
                          "(the replay resumes) when it is quieter")
