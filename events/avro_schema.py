"""Derive the Avro schema a message dataclass implies (to write new versions, and to check them).

`python -m events.avro_schema` prints the derived schema of every message type;
`python -m events.avro_schema --add-new` writes v1 of each type the manifest lacks.
A new version of an existing type is written by hand, with defaults and aliases as needed.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from pathlib import Path
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


def add_new_types(root: Path) -> list[str]:
    """Write a v1 .avsc and a manifest entry for every message type not yet in the manifest."""
    from events.types import ALL_MESSAGES

    manifest_path = root / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    known = {entry["subject"] for entry in manifest["schemas"]}
    next_id = max((entry["id"] for entry in manifest["schemas"]), default=0) + 1
    added = []
    for cls in ALL_MESSAGES:
        if cls.schema_name in known:
            continue
        schema = derive(cls)
        file = Path(schema["namespace"].split(".")[-1]) / f"{schema['name']}.v1.avsc"
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).write_text(json.dumps(schema, indent=2) + "\n")
        manifest["schemas"].append(
            {"id": next_id, "subject": cls.schema_name, "version": 1, "file": str(file)})
        next_id += 1
        added.append(cls.schema_name)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return added


if __name__ == "__main__":
    import sys

    from events.registry import SCHEMAS
    from events.types import ALL_MESSAGES

    if "--add-new" in sys.argv:
        print("\n".join(add_new_types(SCHEMAS)) or "nothing new")
    else:
        for message_type in ALL_MESSAGES:
            print(json.dumps(derive(message_type), indent=2))
