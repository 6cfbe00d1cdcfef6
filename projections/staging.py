"""A batch's rows staged in a temporary table by binary COPY, for set-based statements to read.

Binary COPY formats rows in C; passing the same rows as array parameters formats every element
in Python (measured: about 14 us a channel row against 0.5 us, and half PostgreSQL's parsing).
The tables are the session's own and empty at each commit, so staging must happen inside the
transaction that reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus


@dataclass(frozen=True)
class StagingTable:
    name: str  # in the session's temporary schema
    columns: tuple[tuple[str, str], ...]  # (name, PostgreSQL type)

    @property
    def identifier(self) -> sql.Composed:
        return sql.SQL("pg_temp.{}").format(sql.Identifier(self.name))

    def create(self) -> sql.Composed:
        columns = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind))
            for name, kind in self.columns)
        return sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} ({}) ON COMMIT DELETE ROWS").format(
            self.identifier, columns)

    def copy(self, conn: psycopg.Connection, rows: Iterable[Sequence[object]]) -> None:
        """Stage the rows; the table is created in this session if it is not yet."""
        if conn.info.transaction_status != TransactionStatus.INTRANS:
            raise RuntimeError(f"staging into {self.name} outside a transaction: "
                               "its rows would be gone at the next statement")
        conn.execute(self.create())
        names = sql.SQL(", ").join(sql.Identifier(name) for name, _ in self.columns)
        statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            self.identifier, names)
        with conn.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types([kind for _, kind in self.columns])
            for row in rows:
                copy.write_row(row)
