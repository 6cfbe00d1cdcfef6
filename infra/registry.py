"""Every server the stack knows. Adding one: a module in infra/servers and a line here."""

from __future__ import annotations

from collections.abc import Collection

from config.settings import Settings
from infra.errors import StackError
from infra.server import LocalServer
from infra.servers.cassandra import CassandraServer
from infra.servers.clickhouse import ClickHouseServer
from infra.servers.kafka import KafkaBroker
from infra.servers.nginx import NginxRtmpServer
from infra.servers.postgres import PostgresServer
from infra.servers.redis import RedisServer
from infra.servers.s3 import S3Server

# Started in this order, stopped in the reverse one.
SERVERS: tuple[LocalServer, ...] = (
    KafkaBroker(),
    PostgresServer(),
    RedisServer(),
    ClickHouseServer(),
    NginxRtmpServer(),
    CassandraServer(),
    S3Server(),
)


def chosen(names: Collection[str] | None = None) -> list[LocalServer]:
    if names is None:
        return list(SERVERS)
    unknown = set(names) - {server.name for server in SERVERS}
    if unknown:
        known = ", ".join(server.name for server in SERVERS)
        raise StackError(f"unknown servers {sorted(unknown)}; known: {known}")
    return [server for server in SERVERS if server.name in names]


def local(settings: Settings, names: Collection[str] | None = None) -> list[LocalServer]:
    """The chosen servers that settings do not give by address: those run here."""
    return [s for s in chosen(names) if s.external_address(settings) is None]
