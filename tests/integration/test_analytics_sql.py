"""The analysts' document holds: every table and view it lists exists with those columns, and
every example query runs on the local ClickHouse 18.16 and on a modern ClickHouse (chdb) over
the same DDL and rows, with the same results."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any, cast
from uuid import UUID, uuid4

import chdb.session
import httpx
import pytest

from analytics.catalog import documented_section, raw_tables_markdown
from analytics.raw_tables import families_tables
from analytics.rollups import analyst_objects, ddl
from config.settings import Settings
from tests.conftest import ROOT
from tests.integration.analytics_sample import sample_events

DOCUMENT = (ROOT / "docs" / "analytics.md").read_text()
QUERIES = re.findall(r"```sql\n(.*?)```", DOCUMENT, re.DOTALL)


class Server:
    """The local ClickHouse over HTTP, so both engines answer in the same text format."""

    def __init__(self, settings: Settings, database: str) -> None:
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{settings.clickhouse_http_port}",
                                 timeout=60)
        self.database = database

    def query(self, sql: str, database: str | None = "") -> str:
        params = {"database": self.database} if database == "" else {}
        response = self.http.post("/", params=params, content=sql.encode())
        assert response.status_code == 200, f"{response.text}\n{sql}"
        return response.text


@pytest.fixture(scope="module")
def engines(stack: Settings, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Server, Any]]:
    database = f"analysts_{uuid4().hex[:8]}"
    server = Server(stack, database)
    modern = cast(Any, chdb.session).Session(str(tmp_path_factory.mktemp("chdb")))
    server.query(f"CREATE DATABASE {database}", database=None)
    modern.query(f"CREATE DATABASE {database}")
    modern.query(f"USE {database}")
    try:
        for statement in schema() + inserts():
            server.query(statement)
            modern.query(statement)
        yield server, modern
    finally:
        server.query(f"DROP DATABASE IF EXISTS {database}", database=None)
        server.http.close()
        modern.close()


def schema() -> list[str]:
    return [t.ddl() for t in families_tables().values()] + ddl()


def inserts() -> list[str]:
    tables = families_tables()
    rows: dict[str, list[str]] = defaultdict(list)
    columns: dict[str, str] = {}
    for offset, event in enumerate(sample_events()):
        table = tables[type(event)]
        columns[table.name] = ", ".join(name for name, _ in table.columns)
        values = table.row(event, event.topic, 0, offset)
        rows[table.name].append("(" + ", ".join(literal(v) for v in values) + ")")
    return [f"INSERT INTO {name} ({columns[name]}) VALUES {', '.join(values)}"
            for name, values in rows.items()]


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return f"'{value:%Y-%m-%d %H:%M:%S}'"
    if isinstance(value, str | UUID):
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
    raise TypeError(f"no SQL literal for {value!r}")


@pytest.mark.parametrize("query", QUERIES, ids=[f"query{n}" for n in range(len(QUERIES))])
def test_each_documented_query_gives_the_same_rows_on_both(
    engines: tuple[Server, Any], query: str,
) -> None:
    server, modern = engines
    sql = f"{query.strip()}\nFORMAT TabSeparatedWithNames"
    expected = str(modern.query(sql))
    assert expected.count("\n") > 1, "the sample data should give this query rows"
    assert server.query(sql) == expected


def test_every_table_and_view_is_documented_with_its_columns(
    engines: tuple[Server, Any],
) -> None:
    server, _ = engines
    documented = documented_columns(DOCUMENT)
    raw = [t.name for t in families_tables().values()]
    assert sorted(documented) == sorted([*raw, *analyst_objects()])
    position = {"event_id", "occurred_at", "topic", "log_partition", "log_offset"}
    for name, columns in documented.items():
        described = [line.split("\t")[:2] for line in
                     server.query(f"DESCRIBE TABLE {name} FORMAT TabSeparatedRaw").splitlines()]
        expected = [(c, t) for c, t in described if name not in raw or c not in position]
        assert columns == expected, name


def test_the_raw_tables_section_is_written_from_the_events() -> None:
    assert documented_section(DOCUMENT) == raw_tables_markdown(), \
        "run `python -m analytics.catalog` and put its output in docs/analytics.md"


def documented_columns(document: str) -> dict[str, list[tuple[str, str]]]:
    """Each `### name` section's table rows: (column, type)."""
    columns: dict[str, list[tuple[str, str]]] = {}
    for section in document.split("\n### ")[1:]:
        name, _, body = section.partition("\n")
        rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", body, re.MULTILINE)
        columns[name.strip()] = rows
    return columns


def test_the_document_has_its_example_queries() -> None:
    assert len(QUERIES) >= 10
