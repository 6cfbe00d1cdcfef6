"""A message that cannot be decoded is parked, unchanged, with why and where it came from."""

from __future__ import annotations

from dataclasses import dataclass

from events.errors import UndecodableMessage

DEAD_LETTERS_TOPIC = "dead-letters"


@dataclass(frozen=True)
class DeadLetter:
    key: bytes
    value: bytes | None
    headers: list[tuple[str, bytes]]


def dead_letter(
    topic: str, partition: int, offset: int, value: bytes | None, key: bytes | None,
    error: UndecodableMessage,
) -> DeadLetter:
    headers = [
        ("reason", error.reason.encode()),
        ("error", str(error).encode()),
        ("topic", topic.encode()),
        ("partition", str(partition).encode()),
        ("offset", str(offset).encode()),
    ]
    if key is not None:
        headers.append(("key", key))
    return DeadLetter(f"{topic}/{partition}/{offset}".encode(), value, headers)
