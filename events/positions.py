"""A message's place in the log, and its compact text form used by the API."""

from __future__ import annotations

from dataclasses import dataclass


class InvalidPosition(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Position:
    topic: str
    partition: int
    offset: int

    @property
    def token(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"

    @classmethod
    def parse(cls, token: str) -> Position:
        parts = token.split("/")
        if len(parts) != 3 or not parts[0] or not parts[1].isdigit() or not parts[2].isdigit():
            raise InvalidPosition(f"not a log position (topic/partition/offset): {token!r}")
        return cls(parts[0], int(parts[1]), int(parts[2]))
