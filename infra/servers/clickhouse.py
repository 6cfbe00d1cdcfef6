"""ClickHouse 18.16 with a config rendered from infra/templates/clickhouse."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template
from urllib.parse import urlparse

from clickhouse_driver.errors import NetworkError, SocketTimeoutError

from config.settings import Settings
from infra.errors import StackError
from infra.server import LocalServer, quiet
from stores import clickhouse

BINARY = Path("/usr/sbin/clickhouse-server")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "clickhouse"
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ClickHouseServer(LocalServer):
    name = "clickhouse"
    debian_packages = ("clickhouse-server",)
    binaries = (str(BINARY),)
    ping_errors = (NetworkError, SocketTimeoutError, EOFError, OSError)

    def external_address(self, settings: Settings) -> str | None:
        return settings.clickhouse_url

    def address(self, settings: Settings) -> str:
        return settings.clickhouse

    def ports(self, settings: Settings) -> tuple[int, ...]:
        return (settings.clickhouse_port, settings.clickhouse_http_port,
                settings.clickhouse_interserver_port)

    def executable(self, settings: Settings) -> Path:
        return BINARY

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        for sub in ("log", "data", "tmp", "user_files", "format_schemas"):
            (data_dir / sub).mkdir(parents=True, exist_ok=True)
        values = {
            "data_dir": str(data_dir), "tcp_port": settings.clickhouse_port,
            "http_port": settings.clickhouse_http_port,
            "interserver_port": settings.clickhouse_interserver_port,
        }
        for name in ("config.xml", "users.xml"):
            text = Template((TEMPLATES / name).read_text()).substitute(values)
            (data_dir / name).write_text(text)

    def arguments(self, settings: Settings, data_dir: Path) -> list[str]:
        return [f"--config-file={data_dir / 'config.xml'}"]

    def logs(self, data_dir: Path) -> tuple[Path, ...]:
        return (data_dir / "log" / "clickhouse-server.err.log",)

    def ping(self, settings: Settings) -> None:
        with quiet("clickhouse_driver.connection"):
            _execute(settings, "SELECT 1", connect_timeout=1)

    def after_ready(self, settings: Settings) -> None:
        database = urlparse(settings.clickhouse).path.lstrip("/") or "default"
        if not IDENTIFIER.fullmatch(database):
            raise StackError(f"clickhouse: {database!r} is not a plain database name")
        _execute(settings, f"CREATE DATABASE IF NOT EXISTS {database}")


def _execute(settings: Settings, query: str, connect_timeout: float = 10) -> None:
    local = (f"clickhouse://default@127.0.0.1:{settings.clickhouse_port}/default"
             f"?connect_timeout={connect_timeout}")
    with clickhouse.connected(local) as client:
        client.execute(query)
