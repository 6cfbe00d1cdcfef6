"""The raw tables' part of the analysts' document, written from the event classes so that it
cannot drift from them: `python -m analytics.catalog` prints it."""

from __future__ import annotations

import inspect

from analytics.raw_tables import POSITION, families_tables

BEGIN = "<!-- raw tables: written by `python -m analytics.catalog`, do not edit -->"
END = "<!-- end of raw tables -->"
POSITION_COLUMNS = {name for name, _ in POSITION} | {"event_id", "occurred_at"}


def raw_tables_markdown() -> str:
    sections = [BEGIN]
    tables = sorted(families_tables().values(), key=lambda t: t.name)
    for table in tables:
        meaning = " ".join(_docstring(table.event).split())
        rows = [f"| `{name}` | `{kind}` |" for name, kind in table.columns
                if name not in POSITION_COLUMNS]
        sections.append("\n".join([
            f"### {table.name}", "",
            f"Topic `{table.event.topic}`, event `{table.event.__name__}`. {meaning}", "",
            "| column | type |", "|---|---|", *rows]))
    sections.append(END)
    return "\n\n".join(sections) + "\n"


def _docstring(event: type) -> str:
    """The event's own docstring; not the signature dataclasses write when it has none."""
    doc = inspect.getdoc(event) or ""
    return "" if doc.startswith(f"{event.__name__}(") else doc


def documented_section(document: str) -> str:
    """The part of `document` from BEGIN to END, as `raw_tables_markdown` writes it."""
    start, end = document.index(BEGIN), document.index(END) + len(END)
    return document[start:end] + "\n"


if __name__ == "__main__":
    print(raw_tables_markdown(), end="")
