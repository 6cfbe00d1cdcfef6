"""Derive the Avro schema a message dataclass implies (to write new versions, and to check them).

Run `python -m events.avro_schema` to print the derived schema of every message type.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from typing import Any
from uuid import UUID

from events.base import Message

PRIMITIVES: dict[object, Any] = {
    str: "string",
    bool: "boolean",
    int: "long",
    float: "double",
    UUID: {"type": "string", "logicalType": "uuid"},
    datetime: {"type": "long", "logicalType": "timestamp-micros"},
}


def avro_type(hint: object) -> Any:
    if hint in PRIMITIVES:
        return PRIMITIVES[hint]
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        inner = next(a for a in args if a is not type(None))
        return ["null", avro_type(inner)]
    if origin is list:
        return {"type": "array", "items": avro_type(args[0])}
    raise TypeError(f"no Avro mapping for {hint!r}")


def derive(cls: type[Message]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    namespace, _, name = cls.schema_name.rpartition(".")
    fields = []
    for field in dataclasses.fields(cls):
        entry: dict[str, Any] = {"name": field.name, "type": avro_type(hints[field.name])}
        if isinstance(entry["type"], list):
            entry["default"] = None
        elif field.default_factory is list:
            entry["default"] = []
        fields.append(entry)
    return {
        "type": "record", "name": name, "namespace": namespace,
        "doc": (cls.__doc__ or name).strip().splitlines()[0], "fields": fields,
    }


if __name__ == "__main__":
    from events.types import ALL_MESSAGES

    for message_type in ALL_MESSAGES:
        print(json.dumps(derive(message_type), indent=2))
