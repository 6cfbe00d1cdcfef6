"""A message that cannot be decoded is parked, unchanged, with why and where it came from.

The dead letter's key is "topic/partition/offset" of the original; its value is the original
bytes unchanged; headers carry the reason code, the error message, the original topic,
partition, offset, key and (when the caller knows it) the original timestamp in ms.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from events.errors import UndecodableMessage

DEAD_LETTERS_TOPIC = "dead-letters"


@dataclass(frozen=True)
class DeadLetter:
    key: bytes
    value: bytes | None
    headers: list[tuple[str, bytes]]
    topic: str
    reason: str


def dead_letter(
    topic: str, partition: int, offset: int, value: bytes | None, key: bytes | None,
    error: UndecodableMessage, *, timestamp_ms: int | None = None,
) -> DeadLetter:
    """The record that parks an undecodable message (pure: producing it is the caller's job)."""
    headers = [
        ("reason", error.reason.encode()),
        ("error", str(error).encode()),
        ("topic", topic.encode()),
        ("partition", str(partition).encode()),
        ("offset", str(offset).encode()),
    ]
    if timestamp_ms is not None:
        headers.append(("timestamp", str(timestamp_ms).encode()))
    if key is not None:
        headers.append(("key", key))
    return DeadLetter(f"{topic}/{partition}/{offset}".encode(), value, headers, topic, error.reason)


class DeadLetterCounter:
    """How many messages were parked, by (original topic, reason); safe across threads."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def add(self, letter: DeadLetter) -> None:
        with self._lock:
            self._counts[(letter.topic, letter.reason)] += 1

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def snapshot(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counts)


# The process's count, for whoever produces dead letters to add to once a letter is written.
PARKED = DeadLetterCounter()
