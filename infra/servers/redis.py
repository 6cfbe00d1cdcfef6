"""Redis 7, append-only, in the foreground."""

from __future__ import annotations

from pathlib import Path

import redis

from config.settings import Settings
from infra.server import LocalServer

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
        with redis.Redis.from_url(settings.redis, socket_timeout=1,
                                  socket_connect_timeout=1) as client:
            client.ping()
