"""The endpoint table of docs/api.md, generated from the OpenAPI document the gateway serves, so
the page lists every endpoint as the code declares it (`castline docs api` rewrites it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BEGIN = "<!-- endpoints: generated from the OpenAPI document by `castline docs api` -->"
END = "<!-- end of the generated endpoints -->"
HEADER = ("| method | path | scope | query | body | answers | what |\n"
          "|---|---|---|---|---|---|---|")


class MissingMarkers(Exception):
    """The page has no place for the table."""


def openapi_document() -> dict[str, Any]:
    from gateways.app import API_VERSION, ENDPOINTS
    from gateways.openapi import document

    return document(ENDPOINTS, API_VERSION)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _query(operation: dict[str, Any]) -> str:
    return ", ".join(f"`{p['name']}`" for p in operation["parameters"] if p["in"] == "query")


def _body(operation: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is not None:
        required = set(schema.get("required", ()))
        return "`{" + ", ".join(name if name in required else f"{name}?"
                                for name in schema.get("properties", {})) + "}`"
    return " or ".join(f"`{media}`" for media in content)


def _row(method: str, path: str, operation: dict[str, Any]) -> str:
    success = next(iter(operation["responses"]))
    cells = [method.upper(), f"`{path}`", f"`{operation['x-scope']}`" if operation["x-scope"]
             else "anyone", _query(operation), _body(operation), success,
             _cell(operation["summary"])]
    return "| " + " | ".join(cells) + " |"


def endpoint_table(spec: dict[str, Any]) -> str:
    rows = [_row(method, path, operation) for path, operations in sorted(spec["paths"].items())
            for method, operation in operations.items()]
    return "\n".join([HEADER, *rows])


def with_table(page: str, table: str) -> str:
    """The page with the text between its markers replaced by the table."""
    start, end = page.find(BEGIN), page.find(END)
    if start < 0 or end < start:
        raise MissingMarkers(f"the page needs the lines {BEGIN!r} and {END!r}")
    return f"{page[:start]}{BEGIN}\n{table}\n{page[end:]}"


def write_table(doc: Path = API_DOC) -> bool:
    """Rewrite the page's table; True when it changed."""
    page = doc.read_text()
    updated = with_table(page, endpoint_table(openapi_document()))
    if updated != page:
        doc.write_text(updated)
    return updated != page
