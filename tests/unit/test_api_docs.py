"""docs/api.md lists every endpoint as the gateway's OpenAPI document declares it: an endpoint
added, removed or changed without `castline docs api` fails here."""

from __future__ import annotations

from typing import Any

import pytest

from castline.api_docs import (
    API_DOC,
    BEGIN,
    END,
    MissingMarkers,
    endpoint_table,
    openapi_document,
    with_table,
)


def test_the_pages_table_is_the_one_the_openapi_document_makes() -> None:
    page = API_DOC.read_text()
    assert with_table(page, endpoint_table(openapi_document())) == page, (
        "docs/api.md's endpoint table is stale: run `castline docs api`")


def test_every_operation_has_a_row() -> None:
    spec = openapi_document()
    table = endpoint_table(spec)
    for path, operations in spec["paths"].items():
        for method in operations:
            assert f"| {method.upper()} | `{path}` |" in table


def test_a_summary_with_a_pipe_stays_in_its_cell() -> None:
    operation: dict[str, Any] = {"summary": "a | b", "x-scope": None, "parameters": [],
                                 "responses": {"200": {}}}
    spec: dict[str, Any] = {"paths": {"/x": {"get": operation}}}
    assert endpoint_table(spec).splitlines()[-1] == "| GET | `/x` | anyone |  |  | 200 | a \\| b |"


def test_a_page_without_markers_is_refused() -> None:
    with pytest.raises(MissingMarkers):
        with_table("# no place for it\n", "| table |")
    assert with_table(f"a\n{BEGIN}\nold\n{END}\nb", "new") == f"a\n{BEGIN}\nnew\n{END}\nb"
