"""A PostgreSQL projection's versions: the live tables in `public`, a replay being built beside
them in a schema of its own, and the tables a switch retired, kept until dropped on request.

Readers and the live projector name tables without a schema, so moving tables between schemas
in one transaction switches every reader at once: PostgreSQL re-resolves a cached statement's
names when a table it used changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from projections.runner import Projection

LIVE = "public"


def replay_schema(projection: Projection) -> str:
    return f"replay_{projection.name}"


def retired_schema(projection: Projection) -> str:
    return f"retired_{projection.name}"


def schema_exists(conn: psycopg.Connection, schema: str) -> bool:
    row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    return row is not None


def drop_schema(conn: psycopg.Connection, schema: str) -> None:
    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def create_replay(conn: psycopg.Connection, projection: Projection) -> None:
    """Empty copies of the live tables (columns, defaults, constraints, indexes)."""
    schema = sql.Identifier(replay_schema(projection))
    with conn.transaction():
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(schema))
        for table in projection.tables:
            conn.execute(sql.SQL("CREATE TABLE {}.{} (LIKE {}.{} INCLUDING ALL)").format(
                schema, sql.Identifier(table), sql.Identifier(LIVE), sql.Identifier(table)))


@dataclass(frozen=True)
class Digest:
    """A table's row count and a checksum of its rows in a canonical order."""

    table: str
    rows: int
    checksum: str


def digests(conn: psycopg.Connection, schema: str, projection: Projection) -> list[Digest]:
    """Columns written by something other than the projection's events are left out."""
    return [_digest(conn, schema, table, projection.derived_columns) for table in projection.tables]


def _digest(conn: psycopg.Connection, schema: str, table: str,
            derived: tuple[str, ...]) -> Digest:
    columns = [sql.Identifier(c) for c in _columns(conn, schema, table)
               if f"{table}.{c}" not in derived]
    row = conn.execute(sql.SQL(
        "SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) "
        "FROM (SELECT ROW({})::text AS r FROM {}.{}) AS rows"
    ).format(sql.SQL(", ").join(columns), sql.Identifier(schema), sql.Identifier(table))
    ).fetchone()
    assert row is not None
    return Digest(table, row[0], row[1])


def _columns(conn: psycopg.Connection, schema: str, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
        (schema, table),
    ).fetchall()
    return [name for (name,) in rows]


def switch(conn: psycopg.Connection, projection: Projection) -> None:
    """Retire the live tables and put the replayed ones in their place (in the caller's
    transaction). Replayed indexes take the live ones' names, so later migrations that name
    an index still find it."""
    replay, retired = replay_schema(projection), retired_schema(projection)
    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(retired)))
    for table in projection.tables:
        names = _index_names(conn, LIVE, table)
        _move(conn, LIVE, table, retired)
        for shape, name in _index_names(conn, replay, table).items():
            if shape in names and names[shape] != name:
                conn.execute(sql.SQL("ALTER INDEX {}.{} RENAME TO {}").format(
                    sql.Identifier(replay), sql.Identifier(name), sql.Identifier(names[shape])))
        _move(conn, replay, table, LIVE)
    drop_schema(conn, replay)


def _move(conn: psycopg.Connection, schema: str, table: str, to: str) -> None:
    conn.execute(sql.SQL("ALTER TABLE {}.{} SET SCHEMA {}").format(
        sql.Identifier(schema), sql.Identifier(table), sql.Identifier(to)))


def _index_names(conn: psycopg.Connection, schema: str, table: str) -> dict[tuple[bool, str], str]:
    """Each index of the table by its shape (unique or not, and what follows USING)."""
    rows = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s",
        (schema, table),
    ).fetchall()
    return {(d.startswith("CREATE UNIQUE"), d.split(" USING ", 1)[1]): n for n, d in rows}
