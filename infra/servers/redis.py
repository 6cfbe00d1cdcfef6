"""Redis 7, append-only, in the foreground."""

from __future__ import annotations

from pathlib import Path

import redis

from castline.settings import Settings
from infra.server import LocalServer


class RedisServer(LocalServer):
    name = "redis"
    debian_packages = ("redis-server",)
    binaries = ("/usr/bin/redis-server",)

    def external_address(self, settings: Settings) -> str | None:
        return settings.redis_url

    def address(self, settings: Settings) -> str:
        return settings.redis

    def command(self, settings: Settings, data_dir: Path) -> list[str]:
        return [
            "/usr/bin/redis-server", "--port", str(settings.redis_port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "yes", "--dir", str(data_dir), "--daemonize", "no",
        ]

    def ping(self, settings: Settings) -> None:
        client = redis.Redis.from_url(settings.redis, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
