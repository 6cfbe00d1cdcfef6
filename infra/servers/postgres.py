"""PostgreSQL 15: a private cluster (initdb once), run in the foreground as user postgres."""

from __future__ import annotations

import signal
from pathlib import Path
from urllib.parse import urlparse

import psycopg
from psycopg import sql

from config.settings import Settings
from infra import processes
from infra.errors import StackError
from infra.server import LocalServer

BIN = Path("/usr/lib/postgresql/15/bin")
MAX_CONNECTIONS = 200  # a replica needs at least the primary's
# A worker's session holds its partitions' locks: one whose host died or was cut off is
# found out within about 11 s, not the operating system's two hours (feeds.leases).
KEEPALIVES = ("-c", "tcp_keepalives_idle=5", "-c", "tcp_keepalives_interval=2",
              "-c", "tcp_keepalives_count=3")


class PostgresServer(LocalServer):
    name = "postgres"
    debian_packages = ("postgresql-15",)
    binaries = (str(BIN / "postgres"), str(BIN / "initdb"))
    stop_signal = signal.SIGINT  # "fast" shutdown: roll back, checkpoint, exit
    run_as = "postgres"  # it refuses to run as root
    ping_errors = (psycopg.OperationalError,)

    def external_address(self, settings: Settings) -> str | None:
        return settings.postgres_dsn

    def address(self, settings: Settings) -> str:
        return settings.postgres

    def ports(self, settings: Settings) -> tuple[int, ...]:
        return (settings.postgres_port,)

    def executable(self, settings: Settings) -> Path:
        return BIN / "postgres"

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        cluster = data_dir / "cluster"
        if (cluster / "PG_VERSION").exists():
            return
        command = [str(BIN / "initdb"), "-D", str(cluster), "-U", "postgres", "--auth=trust",
                   "--encoding=UTF8", "--locale=C.UTF-8"]
        log_file = data_dir / "server.log"
        if processes.run(command, data_dir, log_file, self.run_as) != 0:
            raise StackError(f"initdb failed; its output:\n{processes.log_tail((log_file,))}")

    def arguments(self, settings: Settings, data_dir: Path) -> list[str]:
        cluster = data_dir / "cluster"
        return [
            "-D", str(cluster), "-p", str(settings.postgres_port), "-k", str(cluster),
            "-c", "listen_addresses=127.0.0.1", "-c", f"max_connections={MAX_CONNECTIONS}",
            *KEEPALIVES,
        ]

    def ping(self, settings: Settings) -> None:
        with psycopg.connect(_maintenance_dsn(settings), connect_timeout=1) as conn:
            conn.execute("SELECT 1")

    def after_ready(self, settings: Settings) -> None:
        database = urlparse(settings.postgres).path.lstrip("/") or "postgres"
        with psycopg.connect(_maintenance_dsn(settings), autocommit=True) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
            ).fetchone()
            if found is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def _maintenance_dsn(settings: Settings) -> str:
    return f"postgresql://postgres@127.0.0.1:{settings.postgres_port}/postgres"
