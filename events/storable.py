"""Whether every store can hold a message's text: PostgreSQL's text and jsonb cannot hold NUL.

The gateways refuse such input at the edge; this is the check a feed makes itself, so that a
record that arrived by another way (a tool writing to a topic, an older gateway) is refused
or parked instead of failing its whole batch again and again.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass

UNSTORABLE = "\x00"


def unstorable_field(value: object, path: str = "") -> str | None:
    """The dotted path of the first text that holds NUL, or None if every store can hold it."""
    if isinstance(value, str):
        return path or "value" if UNSTORABLE in value else None
    if is_dataclass(value) and not isinstance(value, type):
        items: list[tuple[str, object]] = [(f.name, getattr(value, f.name)) for f in fields(value)]
    elif isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
        found = next((str(k) for k in value if isinstance(k, str) and UNSTORABLE in k), None)
        if found is not None:
            return path or "key"
    elif isinstance(value, list | tuple):
        items = [(str(i), v) for i, v in enumerate(value)]
    else:
        return None
    for name, item in items:
        found = unstorable_field(item, f"{path}.{name}" if path else name)
        if found is not None:
            return found
    return None
