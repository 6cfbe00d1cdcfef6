"""Tracked, idempotent DDL: each migration file is applied once, in name order."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import psycopg

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant works: it only has to be the same for every process that migrates.
MIGRATION_LOCK_ID = 7_240_331


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str


def load(directory: Path, pattern: str = "*.sql") -> list[Migration]:
    return [Migration(p.name, p.read_text()) for p in sorted(directory.glob(pattern))]


def migrate_postgres(dsn: str, directory: Path = MIGRATIONS / "postgres") -> list[str]:
    """Apply pending migrations, each in its own transaction, under an advisory lock."""
    applied: list[str] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for migration in load(directory):
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_ID,))
                done = conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE name = %s", (migration.name,)
                ).fetchone()
                if done:
                    continue
                conn.execute(migration.sql.encode())
                conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (migration.name,))
                applied.append(migration.name)
                log.info("postgres migration applied: %s", migration.name)
    return applied


def split_statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]

