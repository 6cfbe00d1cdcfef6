"""ClickHouse clients, by URL (clickhouse://user@host:port/database)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from clickhouse_driver import Client

from config.settings import Settings


def client(url: str) -> Client:
    return Client.from_url(url)


@contextmanager
def connected(url: str) -> Iterator[Client]:
    """A client, disconnected after."""
    connection = client(url)
    try:
        yield connection
    finally:
        connection.disconnect()


def database_of(url: str) -> str:
    return urlparse(url).path.lstrip("/") or "default"


def database_url(settings: Settings, database: str) -> str:
    """The configured server's URL, on `database`."""
    return settings.clickhouse.rsplit("/", 1)[0] + f"/{database}"


def ensure_database(url: str) -> None:
    """Create the URL's database if it is missing."""
    database = database_of(url)
    with connected(url.replace(f"/{database}", "/default", 1)) as server:
        server.execute(f"CREATE DATABASE IF NOT EXISTS {database}")
