"""PostgreSQL 15: a private cluster (initdb once), run in the foreground."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

from castline.settings import Settings
from infra.errors import StackError
from infra.processes import chown_for, run_as_kwargs
from infra.server import LocalServer

BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "castline"


class PostgresServer(LocalServer):
    name = "postgres"
    debian_packages = ("postgresql-15",)
    binaries = (str(BIN / "postgres"),)
    stop_signal = signal.SIGINT  # "fast" shutdown: roll back, checkpoint, exit
    run_as = "postgres"

    def external_address(self, settings: Settings) -> str | None:
        return settings.postgres_dsn

    def address(self, settings: Settings) -> str:
        return settings.postgres

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        cluster = data_dir / "cluster"
        if (cluster / "PG_VERSION").exists():
            return
        chown_for(self.run_as, data_dir)
        result = subprocess.run(
            [str(BIN / "initdb"), "-D", str(cluster), "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--locale=C.UTF-8"],
            capture_output=True, text=True, check=False,
            **run_as_kwargs(self.run_as),  # type: ignore[call-overload]
        )
        if result.returncode != 0:
            raise StackError(f"initdb failed: {result.stderr.strip()}")

    def command(self, settings: Settings, data_dir: Path) -> list[str]:
        cluster = data_dir / "cluster"
        return [
            str(BIN / "postgres"), "-D", str(cluster), "-p", str(settings.postgres_port),
            "-k", str(cluster), "-c", "listen_addresses=127.0.0.1",
            "-c", "max_connections=200", "-c", "fsync=on",
        ]

    def ping(self, settings: Settings) -> None:
        with psycopg.connect(self._server_dsn(settings), connect_timeout=1) as conn:
            conn.execute("SELECT 1")

    def after_ready(self, settings: Settings) -> None:
        with psycopg.connect(self._server_dsn(settings), autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))

    @staticmethod
    def _server_dsn(settings: Settings) -> str:
        return f"postgresql://postgres@127.0.0.1:{settings.postgres_port}/postgres"
