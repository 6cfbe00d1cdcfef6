"""Redis 7, append-only, in the foreground."""

from __future__ import annotations

from pathlib import Path

import redis

from config.settings import Settings
from infra.server import LocalServer
from stores.redis import client

BINARY = Path("/usr/bin/redis-server")


class RedisServer(LocalServer):
    name = "redis"
    debian_packages = ("redis-server",)
    binaries = (str(BINARY),)
    ping_errors = (redis.ConnectionError, redis.TimeoutError)

    def external_address(self, settings: Settings) -> str | None:
        return settings.redis_url

    def address(self, settings: Settings) -> str:
        return settings.redis

    def ports(self, settings: Settings) -> tuple[int, ...]:
        return (settings.redis_port,)

    def executable(self, settings: Settings) -> Path:
        return BINARY

    def arguments(self, settings: Settings, data_dir: Path) -> list[str]:
        return [
            "--port", str(settings.redis_port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "yes", "--dir", str(data_dir), "--daemonize", "no",
        ]

    def ping(self, settings: Settings) -> None:
        with client(settings.redis, timeout_s=1) as connection:
            connection.ping()
