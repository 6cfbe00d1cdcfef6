"""A streaming replica of the local PostgreSQL, for reads that may lag: copied from the primary
(pg_basebackup, once) and kept current by streaming its WAL as a hot standby.

Not part of the default stack: a deployment points `postgres_replica_dsn` at its own replica,
and the tests start this one to check that the gateway's reads go there and still see their
own writes.
"""

from __future__ import annotations

import signal
from pathlib import Path

import psycopg

from config.settings import Settings
from infra import processes
from infra.errors import StackError
from infra.server import LocalServer
from infra.servers.postgres import BIN, MAX_CONNECTIONS


class PostgresReplicaServer(LocalServer):
    name = "postgres-replica"
    debian_packages = ("postgresql-15",)
    binaries = (str(BIN / "postgres"), str(BIN / "pg_basebackup"))
    stop_signal = signal.SIGINT
    run_as = "postgres"
    ping_errors = (psycopg.OperationalError,)

    def external_address(self, settings: Settings) -> str | None:
        return settings.postgres_replica_dsn

    def address(self, settings: Settings) -> str:
        return f"postgresql://postgres@127.0.0.1:{settings.postgres_replica_port}/castline"

    def ports(self, settings: Settings) -> tuple[int, ...]:
        return (settings.postgres_replica_port,)

    def executable(self, settings: Settings) -> Path:
        return BIN / "postgres"

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        """A copy of the primary that follows it (-R writes the standby's settings)."""
        cluster = data_dir / "cluster"
        if (cluster / "PG_VERSION").exists():
            return
        command = [str(BIN / "pg_basebackup"), "-h", "127.0.0.1",
                   "-p", str(settings.postgres_port), "-U", "postgres", "-D", str(cluster),
                   "-R", "-X", "stream", "--checkpoint=fast"]
        log_file = data_dir / "server.log"
        if processes.run(command, data_dir, log_file, self.run_as) != 0:
            raise StackError(
                f"pg_basebackup failed; its output:\n{processes.log_tail((log_file,))}")

    def arguments(self, settings: Settings, data_dir: Path) -> list[str]:
        cluster = data_dir / "cluster"
        return ["-D", str(cluster), "-p", str(settings.postgres_replica_port),
                "-k", str(cluster), "-c", "listen_addresses=127.0.0.1", "-c", "hot_standby=on",
                "-c", f"max_connections={MAX_CONNECTIONS}"]

    def ping(self, settings: Settings) -> None:
        with psycopg.connect(self.address(settings), connect_timeout=1) as conn:
            conn.execute("SELECT 1")
