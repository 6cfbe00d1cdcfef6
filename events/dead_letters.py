"""A message that cannot be decoded is parked, unchanged, with why and where it came from.

The dead letter's key is "topic/partition/offset" of the original; its value is the original
bytes unchanged. Its headers start with its own, always all of them and each once
(DEAD_LETTER_HEADERS: the reason code, the error message, the original topic, partition, offset,
timestamp in ms and key, and the feed that parked it; a value unknown is None), followed by the
original's headers unchanged, so that a retry can give the original back exactly.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from confluent_kafka import Message as KafkaMessage

from events.errors import UndecodableMessage

DEAD_LETTERS_TOPIC = "dead-letters"


DEAD_LETTER_HEADERS = ("reason", "error", "topic", "partition", "offset", "timestamp", "key",
                       "parked_by")
Header = tuple[str, bytes | None]


@dataclass(frozen=True)
class DeadLetter:
    key: bytes
    value: bytes | None
    headers: list[Header]
    topic: str
    reason: str


def dead_letter(
    topic: str, partition: int, offset: int, value: bytes | None, key: bytes | None,
    error: UndecodableMessage, *, timestamp_ms: int | None = None, parked_by: str | None = None,
    headers: Sequence[Header] = (),
) -> DeadLetter:
    """The record that parks a message that cannot be applied, with the original's `headers`
    (pure: producing it is the caller's job)."""
    own: list[Header] = [
        ("reason", error.reason.encode()),
        ("error", str(error).encode()),
        ("topic", topic.encode()),
        ("partition", str(partition).encode()),
        ("offset", str(offset).encode()),
        ("timestamp", None if timestamp_ms is None else str(timestamp_ms).encode()),
        ("key", key),
        ("parked_by", None if parked_by is None else parked_by.encode()),
    ]
    return DeadLetter(f"{topic}/{partition}/{offset}".encode(), value, [*own, *headers], topic,
                      error.reason)


def headers_of(message: KafkaMessage) -> list[Header]:
    """A Kafka message's headers, in order, with values as bytes."""
    headers = message.headers() or []
    pairs = headers.items() if isinstance(headers, dict) else headers
    return [(name, value.encode() if isinstance(value, str) else value) for name, value in pairs]


def split_headers(headers: Sequence[Header]) -> tuple[dict[str, bytes | None], list[Header]]:
    """A dead letter's own headers by name, and the original's headers that follow them."""
    own: dict[str, bytes | None] = {}
    for index, (name, value) in enumerate(headers):
        if name not in DEAD_LETTER_HEADERS or name in own:
            return own, list(headers[index:])
        own[name] = value
    return own, []


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
