"""One ClickHouse table per event type, derived from the event's dataclass: adding an event
family to analytics is adding its topic to `FAMILIES`.

Each row is the event's fields plus where it sits in the log (topic, partition, offset). Rows
are sorted by (occurred_at, event_id), which is also how the sink finds an event it already
holds. Private fields (credentials, e-mail and network addresses)
never leave the operational stores, nor do payment-method tokens.
"""

from __future__ import annotations

import dataclasses
import operator
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from uuid import UUID

from events.accounts import USERS_TOPIC
from events.base import Event
from events.channels import CHANNELS_TOPIC
from events.chat import CHAT_TOPIC
from events.monetization import MONETIZATION_TOPIC
from events.social import FOLLOWS_TOPIC
from events.types import ALL_MESSAGES
from events.views import VIEW_HEARTBEATS_TOPIC

FAMILIES = (CHANNELS_TOPIC, USERS_TOPIC, FOLLOWS_TOPIC, VIEW_HEARTBEATS_TOPIC, CHAT_TOPIC,
            MONETIZATION_TOPIC)
PRIVATE_FIELDS = frozenset({"email", "password_hash", "key_hash", "address", "payment_method"})
SCALARS: dict[Any, str] = {
    str: "String", int: "Int64", float: "Float64", bool: "UInt8", UUID: "UUID",
    datetime: "DateTime('UTC')",
}
POSITION = (("topic", "String"), ("log_partition", "UInt32"), ("log_offset", "UInt64"))


class UnsupportedField(TypeError):
    """An event field with a type that has no ClickHouse column type here."""


@dataclass(frozen=True)
class RawTable:
    event: type[Event]
    name: str
    fields: tuple[str, ...]  # the event's fields that become columns, in order
    columns: tuple[tuple[str, str], ...]  # (name, ClickHouse type), fields then position

    def ddl(self) -> str:
        columns = ",\n    ".join(f"{name} {kind}" for name, kind in self.columns)
        return (f"CREATE TABLE IF NOT EXISTS {self.name} (\n    {columns}\n) ENGINE = MergeTree "
                "PARTITION BY toYYYYMM(occurred_at) ORDER BY (occurred_at, event_id)")

    @cached_property
    def insert_sql(self) -> str:
        return f"INSERT INTO {self.name} ({', '.join(name for name, _ in self.columns)}) VALUES"

    def row(self, event: Event, topic: str, partition: int, offset: int) -> tuple[Any, ...]:
        values = self._values(event)
        if not self._converted:
            return (*values, topic, partition, offset)
        mended = list(values)
        for index, kind in self._converted:
            mended[index] = _value(mended[index], kind)
        return (*mended, topic, partition, offset)

    @cached_property
    def _values(self) -> Callable[[Event], tuple[Any, ...]]:
        getter = operator.attrgetter(*self.fields)
        return getter if len(self.fields) > 1 else lambda event: (getter(event),)

    @cached_property
    def _converted(self) -> tuple[tuple[int, str], ...]:
        """The fields whose values ClickHouse takes in another form: flags, absent lists."""
        kinds = enumerate(kind for _, kind in self.columns[:len(self.fields)])
        return tuple((index, kind) for index, kind in kinds
                     if "UInt8" in kind or kind.startswith("Array"))


def raw_table(event: type[Event]) -> RawTable:
    hints = typing.get_type_hints(event)
    fields = tuple(f.name for f in dataclasses.fields(event) if f.name not in PRIVATE_FIELDS)
    columns = tuple((name, column_type(hints[name], name)) for name in fields)
    return RawTable(event, table_name(event), fields, (*columns, *POSITION))


def table_name(event: type[Event]) -> str:
    return "raw_" + re.sub(r"(?<!^)(?=[A-Z])", "_", event.__name__).lower()


def column_type(hint: Any, name: str) -> str:
    """The ClickHouse type of a field; optional scalars are Nullable, optional lists empty."""
    arguments = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and type(None) in arguments:
        inner = next(a for a in arguments if a is not type(None))
        kind = column_type(inner, name)
        return kind if kind.startswith("Array") else f"Nullable({kind})"
    if typing.get_origin(hint) is list and len(arguments) == 1:
        return f"Array({column_type(arguments[0], name)})"
    if typing.get_origin(hint) is typing.Literal:
        return "String"
    if hint in SCALARS:
        return SCALARS[hint]
    raise UnsupportedField(f"{name}: no ClickHouse column type for {hint!r}")


def _value(value: Any, kind: str) -> Any:
    if isinstance(value, bool):
        return int(value)
    if value is None and kind.startswith("Array"):
        return []
    return value


def families_tables() -> dict[type[Event], RawTable]:
    """Every event type of the analytics families, with its table."""
    return {m: raw_table(m) for m in ALL_MESSAGES
            if issubclass(m, Event) and m.topic in FAMILIES}
