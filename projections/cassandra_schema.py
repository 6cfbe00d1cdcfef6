"""Cassandra DDL, applied once per statement set and tracked (CQL 3.0 has no IF NOT EXISTS)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from cassandra import AlreadyExists

from config.settings import Settings
from projections.migrate import MIGRATIONS, load, split_statements

log = logging.getLogger(__name__)


def migrate_cassandra(settings: Settings, session: Any, keyspace: str,
                      directory: Path = MIGRATIONS / "cassandra") -> list[str]:
    _create(session, f"CREATE KEYSPACE {keyspace} WITH replication = "
                     f"{settings.cassandra_replication}")
    session.set_keyspace(keyspace)
    _create(session, "CREATE TABLE schema_migrations (name text PRIMARY KEY)")
    done = {row[0] for row in session.execute("SELECT name FROM schema_migrations")}
    applied = []
    for migration in (m for m in _cql(directory) if m.name not in done):
        for statement in split_statements(migration.sql):
            session.execute(statement)
        session.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (migration.name,))
        applied.append(migration.name)
        log.info("cassandra migration applied: %s", migration.name)
    return applied


def _create(session: Any, statement: str) -> None:
    """Create unless it exists: works on every Cassandra version, IF NOT EXISTS does not."""
    with contextlib.suppress(AlreadyExists):
        session.execute(statement)


def _cql(directory: Path) -> list[Any]:
    return load(directory, "*.cql")
