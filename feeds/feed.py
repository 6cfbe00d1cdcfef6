"""A feed: a named reader of topics that keeps its own positions (a projection or a decider)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from feeds.checkpoints import Partition
from feeds.records import LogRecord


class Feed(Protocol):
    """What a feed consumer drives: a named reader of topics that owns its positions."""

    @property
    def name(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...

    def checkpoints(self) -> dict[Partition, int]: ...

    def apply_batch(self, records: Sequence[LogRecord]) -> int: ...

    def flush(self) -> None:
        """Return once every batch applied is durable (a feed may write behind)."""

    def tick(self) -> bool:
        """Periodic work between polls (or nothing); True when the feed moved to another store
        and reading must start again from its checkpoints there."""
