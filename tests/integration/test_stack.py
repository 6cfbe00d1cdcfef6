"""The local stack on its own ports and state dir: up, reuse, status, down, data kept."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
import redis
from clickhouse_driver import Client

from castline.settings import Settings
from infra import stack
from infra.processes import alive


@pytest.fixture
def isolated(settings: Settings) -> Iterator[Settings]:
    """A second stack beside the session's, always brought down again.

    Its state lives under the project's state dir: pytest's own temp dirs are private to root,
    and PostgreSQL runs as its own user.
    """
    state = settings.state_dir / f"stack-test-{uuid4().hex[:8]}"
    settings = Settings(
        state_dir=state, kafka_port=19292, postgres_port=15632, redis_port=16579,
        clickhouse_port=19200, clickhouse_http_port=18323, clickhouse_interserver_port=19209,
    )
    try:
        yield settings
    finally:
        stack.down(settings)
        shutil.rmtree(state, ignore_errors=True)


def clickhouse(settings: Settings, query: str) -> object:
    client = Client("127.0.0.1", port=settings.clickhouse_port)
    try:
        return client.execute(query)
    finally:
        client.disconnect()


def write_data(settings: Settings) -> None:
    with redis.Redis.from_url(settings.redis) as client:
        client.set("survives", "yes")
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (v int)")
        conn.execute("INSERT INTO kept VALUES (42)")
    clickhouse(settings, "CREATE TABLE castline.kept (v UInt8) ENGINE = MergeTree ORDER BY v")


def read_data(settings: Settings) -> tuple[object, ...]:
    with psycopg.connect(settings.postgres) as conn:
        row = conn.execute("SELECT v FROM kept").fetchone()
    tables = clickhouse(settings, "SELECT name FROM system.tables WHERE database = 'castline'")
    with redis.Redis.from_url(settings.redis) as client:
        return client.get("survives"), row, tables


def test_up_reuse_down_and_data_survives(isolated: Settings) -> None:
    started = stack.up(isolated)
    assert [(s.name, s.state) for s in started] == [
        ("kafka", "running"), ("postgres", "running"), ("redis", "running"),
        ("clickhouse", "running")]
    assert started[0].address == "127.0.0.1:19292"
    pids = [s.pid for s in started]
    assert [s.pid for s in stack.up(isolated)] == pids, "a second up must reuse the servers"
    write_data(isolated)
    stack.down(isolated)
    assert {s.state for s in stack.status(isolated)} == {"stopped"}
    assert not any(alive(pid) for pid in pids if pid is not None)
    stack.up(isolated)
    assert read_data(isolated) == (b"yes", (42,), [("kept",)])


def test_external_addresses_are_not_started(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path, kafka_bootstrap="kafka.example:9092",
                        postgres_dsn="postgresql://db.example/castline",
                        redis_url="redis://cache.example:6379/0",
                        clickhouse_url="clickhouse://ch.example:9000/castline")
    statuses = stack.up(settings)
    assert {s.state for s in statuses} == {"external"}
    assert statuses[0].address == "kafka.example:9092"
    assert not any(tmp_path.iterdir())
