"""Derive the Avro schema a message dataclass implies (to write new versions, and to check them).

`python -m events.avro_schema` prints the derived schema of every message type;
`python -m events.avro_schema --add-new` writes v1 of each type the manifest lacks;
`--new-version NAME` writes the next version of a type as its dataclass now derives it.
Check a new version by hand: added fields need defaults, renamed ones need aliases (add them to
the new .avsc: `"aliases": ["old_name"]`; later versions keep the aliases of the one before).
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
        elif field.default is not dataclasses.MISSING:
            entry["default"] = field.default
        fields.append(entry)
    return {
        "type": "record", "name": name, "namespace": namespace,
        "doc": (cls.__doc__ or name).strip().splitlines()[0], "fields": fields,
    }


def write_version(root: Path, cls: type[Message]) -> int:
    """Write the type's derived schema as its next version, with a new id; return the version."""
    manifest_path = root / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    entries = manifest["schemas"]
    older = sorted((e for e in entries if e["subject"] == cls.schema_name),
                   key=lambda e: int(e["version"]))
    version = 1 + (older[-1]["version"] if older else 0)
    schema = derive(cls)
    if older:
        _keep_aliases(schema, json.loads((root / older[-1]["file"]).read_text()))
    file = Path(schema["namespace"].split(".")[-1]) / f"{schema['name']}.v{version}.avsc"
    (root / file).parent.mkdir(parents=True, exist_ok=True)
    (root / file).write_text(json.dumps(schema, indent=2) + "\n")
    entries.append({"id": 1 + max((e["id"] for e in entries), default=0),
                    "subject": cls.schema_name, "version": version, "file": str(file)})
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return version


def _keep_aliases(schema: dict[str, Any], previous: dict[str, Any]) -> None:
    """Fields renamed in an earlier version keep their aliases: the oldest data still reads."""
    aliases = {f["name"]: f["aliases"] for f in previous["fields"] if "aliases" in f}
    for field in schema["fields"]:
        if field["name"] in aliases:
            field["aliases"] = aliases[field["name"]]


def add_new_types(root: Path) -> list[str]:
    """Write v1 of every message type not yet in the manifest."""
    from events.types import ALL_MESSAGES

    known = {e["subject"] for e in json.loads((root / "manifest.json").read_text())["schemas"]}
    added = [cls for cls in ALL_MESSAGES if cls.schema_name not in known]
    for cls in added:
        write_version(root, cls)
    return [cls.schema_name for cls in added]


if __name__ == "__main__":
    import sys

    from events.registry import SCHEMAS
    from events.types import ALL_MESSAGES

    if "--add-new" in sys.argv:
        print("\n".join(add_new_types(SCHEMAS)) or "nothing new")
    elif "--new-version" in sys.argv:
        from events.types import BY_SCHEMA_NAME

        name = sys.argv[sys.argv.index("--new-version") + 1]
        print(f"{name} v{write_version(SCHEMAS, BY_SCHEMA_NAME[name])}")
    else:
        for message_type in ALL_MESSAGES:
            print(json.dumps(derive(message_type), indent=2))
