"""Deciders' states in PostgreSQL (decider_states), one JSON document per aggregate key."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import msgspec
import psycopg

from events.base import Event
from processors.deciders.decisions import RememberedOutcome


class RemembersOutcomes(Protocol):
    def outcome_of(self, command_id: str) -> RememberedOutcome | None: ...


S = TypeVar("S")
DOCUMENTS = msgspec.json.Encoder()  # several times faster than json.dumps for large states


@dataclass(frozen=True)
class StateKind(Generic[S]):
    """One kind of aggregate a decider keeps: `load`/`dump` turn a stored document (None for a
    key never stored) into the decider's state and back; `evolve` and `remember` are the
    decider's own."""

    name: str
    load: Callable[[Any], S]
    dump: Callable[[S], Any]
    evolve: Callable[[S, Event], S]
    remember: Callable[[S, RememberedOutcome], S]


def load_states(conn: psycopg.Connection, kind: str, keys: Iterable[str]) -> dict[str, Any]:
    """The stored documents of those keys that have one."""
    rows = conn.execute("SELECT key, state FROM decider_states WHERE kind = %s AND key = ANY(%s)",
                        (kind, sorted(set(keys)))).fetchall()
    return dict(rows)


def store_states(conn: psycopg.Connection, kind: str, documents: Mapping[str, Any]) -> None:
    """One JSON object of key -> document (see processors.channel_states for why)."""
    if not documents:
        return
    conn.execute(
        "INSERT INTO decider_states (kind, key, state) "
        "SELECT %s, key, value FROM jsonb_each(%s::jsonb) "
        "ON CONFLICT (kind, key) DO UPDATE SET state = EXCLUDED.state, updated_at = now()",
        (kind, DOCUMENTS.encode(documents).decode()),
    )


def load_outcomes(conn: psycopg.Connection, command_ids: Iterable[str]
                  ) -> dict[str, RememberedOutcome]:
    rows = conn.execute("SELECT command_id, outcome FROM decider_outcomes "
                        "WHERE command_id = ANY(%s)", (sorted(set(command_ids)),)).fetchall()
    return {command_id: RememberedOutcome.load(outcome) for command_id, outcome in rows}


def store_outcomes(conn: psycopg.Connection, decider: str,
                   outcomes: Mapping[str, RememberedOutcome]) -> None:
    """Kept for good: a command is decided once, however late it is sent again."""
    if not outcomes:
        return
    document = DOCUMENTS.encode(outcomes).decode()  # each outcome as its fields
    conn.execute(
        "INSERT INTO decider_outcomes (command_id, decider, outcome) "
        "SELECT key, %s, value FROM jsonb_each(%s::jsonb) ON CONFLICT (command_id) DO NOTHING",
        (decider, document))
