"""ClickHouse 18.16 with a config rendered from infra/templates/clickhouse."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from clickhouse_driver import Client

from castline.settings import Settings
from infra.server import LocalServer

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "clickhouse"


class ClickHouseServer(LocalServer):
    name = "clickhouse"
    debian_packages = ("clickhouse-server",)
    binaries = ("/usr/sbin/clickhouse-server",)

    def external_address(self, settings: Settings) -> str | None:
        return settings.clickhouse_url

    def address(self, settings: Settings) -> str:
        return settings.clickhouse

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        for sub in ("log", "data", "tmp", "user_files", "format_schemas"):
            (data_dir / sub).mkdir(parents=True, exist_ok=True)
        values = {
            "data_dir": str(data_dir), "tcp_port": settings.clickhouse_port,
            "http_port": settings.clickhouse_http_port,
            "interserver_port": settings.clickhouse_interserver_port,
        }
        for name in ("config.xml", "users.xml"):
            text = (TEMPLATES / name).read_text()
            for key, value in values.items():
                text = text.replace("{" + key + "}", str(value))
            (data_dir / name).write_text(text)

    def command(self, settings: Settings, data_dir: Path) -> list[str]:
        return ["/usr/sbin/clickhouse-server", f"--config-file={data_dir / 'config.xml'}"]

    def ping(self, settings: Settings) -> None:
        client = Client("127.0.0.1", port=settings.clickhouse_port, connect_timeout=1)
        try:
            client.execute("SELECT 1")
        finally:
            client.disconnect()

    def after_ready(self, settings: Settings) -> None:
        database = urlparse(settings.clickhouse).path.lstrip("/") or "default"
        client = Client("127.0.0.1", port=settings.clickhouse_port)
        try:
            client.execute(f"CREATE DATABASE IF NOT EXISTS {database}")
        finally:
            client.disconnect()
