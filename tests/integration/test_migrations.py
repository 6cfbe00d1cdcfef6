"""PostgreSQL migrations are tracked and applied once."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import psycopg

from config.settings import Settings
from projections.migrate import migrate_postgres


def test_project_migrations_are_all_applied_and_rerun_is_a_no_op(stack: Settings) -> None:
    assert migrate_postgres(stack.postgres) == []
    with psycopg.connect(stack.postgres) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert names[:2] == ["0001_projection_checkpoints.sql", "0002_channels.sql"]


def test_postgres_applies_new_files_once(stack: Settings, tmp_path: Path) -> None:
    table = f"m_{uuid4().hex[:8]}"
    (tmp_path / f"9001_{table}.sql").write_text(f"CREATE TABLE {table} (v int);")
    assert migrate_postgres(stack.postgres, tmp_path) == [f"9001_{table}.sql"]
    assert migrate_postgres(stack.postgres, tmp_path) == []

