"""The local stack on free ports and a temporary state dir: up, reuse, status, down, data kept."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import redis
from clickhouse_driver import Client
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient

from config.settings import Settings
from infra import lifecycle, stack
from infra.errors import PortInUseError, ServerExitedError, ServerNotReadyError
from infra.processes import alive, group_members, read_pid
from infra.server import LocalServer
from stores.objects import s3_client

LOCAL = ["kafka", "postgres", "redis", "clickhouse", "nginx-rtmp", "cassandra", "s3"]
def free_ports(count: int) -> list[int]:
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def isolated_settings(state: Path) -> Settings:
    """Settings for a stack in `state` on free ports, every server local."""
    kafka, postgres, redis_port, ch_tcp, ch_http, ch_interserver, rtmp, hls = free_ports(8)
    cql, thrift, storage, ssl_storage, s3 = free_ports(5)
    return Settings(
        state_dir=state, kafka_bootstrap=None, postgres_dsn=None, redis_url=None,
        clickhouse_url=None, rtmp_url=None, cassandra_hosts=None, kafka_port=kafka,
        postgres_port=postgres, redis_port=redis_port, clickhouse_port=ch_tcp,
        clickhouse_http_port=ch_http, clickhouse_interserver_port=ch_interserver,
        rtmp_port=rtmp, hls_http_port=hls, cassandra_port=cql, cassandra_rpc_port=thrift,
        cassandra_storage_port=storage, cassandra_ssl_storage_port=ssl_storage,
        s3_endpoint_url=None, s3_port=s3,
    )


@pytest.fixture
def isolated() -> Iterator[Settings]:
    """A stack of its own, always brought down and removed again, even when a test fails."""
    state = Path(tempfile.mkdtemp(prefix="castline-stack-"))
    state.chmod(0o755)  # PostgreSQL runs as user postgres and must reach its data dir
    settings = isolated_settings(state)
    try:
        yield settings
    finally:
        try:
            stack.down(settings)
        finally:
            shutil.rmtree(state, ignore_errors=True)


def clickhouse(
    settings: Settings, query: str, rows_in: list[tuple[object, ...]] | None = None
) -> list[tuple[object, ...]]:
    client = Client("127.0.0.1", port=settings.clickhouse_port)
    try:
        rows: list[tuple[object, ...]] = client.execute(query, rows_in)
        return rows
    finally:
        client.disconnect()


def assert_each_answers(settings: Settings) -> None:
    AdminClient({"bootstrap.servers": settings.kafka}).list_topics(timeout=10)
    with psycopg.connect(settings.postgres) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    with redis.Redis.from_url(settings.redis) as client:
        assert client.ping()
    assert clickhouse(settings, "SELECT name FROM system.databases WHERE name = 'castline'")
    hls_stat = f"http://127.0.0.1:{settings.hls_http_port}/stat"
    assert httpx.get(hls_stat, timeout=10).status_code == 200
    s3_client(settings).head_bucket(Bucket=settings.s3_bucket)


def write_data(settings: Settings) -> None:
    with redis.Redis.from_url(settings.redis) as client:
        client.set("survives", "yes")
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (v int)")
        conn.execute("INSERT INTO kept VALUES (42)")
    clickhouse(settings, "CREATE TABLE castline.kept (v UInt8) ENGINE = MergeTree ORDER BY v")
    # Data goes as a list: an inline VALUES (...) hangs on ClickHouse 18.16.
    clickhouse(settings, "INSERT INTO castline.kept (v) VALUES", [(7,)])
    producer = Producer({"bootstrap.servers": settings.kafka})
    producer.produce("kept", value=b"event")
    assert producer.flush(10) == 0


def read_data(settings: Settings) -> tuple[object, ...]:
    with redis.Redis.from_url(settings.redis) as client:
        key = client.get("survives")
    with psycopg.connect(settings.postgres) as conn:
        row = conn.execute("SELECT v FROM kept").fetchone()
    consumer = Consumer({"bootstrap.servers": settings.kafka, "group.id": "stack-test"})
    try:
        _, end = consumer.get_watermark_offsets(TopicPartition("kept", 0), timeout=10)
    finally:
        consumer.close()
    return key, row, clickhouse(settings, "SELECT v FROM castline.kept"), end


def test_up_reuse_down_and_data_survives(isolated: Settings) -> None:
    started = stack.up(isolated)
    assert [(s.name, s.state) for s in started] == [(name, "running") for name in LOCAL]
    assert started[0].address == f"127.0.0.1:{isolated.kafka_port}"
    assert stack.status(isolated) == started
    assert_each_answers(isolated)
    pids = [s.pid for s in started]
    assert all(pids)
    assert [s.pid for s in stack.up(isolated)] == pids, "a second up must reuse the servers"
    write_data(isolated)

    stack.down(isolated)
    assert [(s.name, s.state, s.pid) for s in stack.status(isolated)] == [
        (name, "stopped", None) for name in LOCAL]
    for pid in pids:
        assert pid is not None
        assert not alive(pid), f"server {pid} outlived down"
        assert not group_members(pid), f"processes of group {pid} outlived down"

    assert {s.state for s in stack.up(isolated)} == {"running"}
    assert read_data(isolated) == (b"yes", (42,), [(7,)], 1)


def test_external_addresses_are_not_started(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path, kafka_bootstrap="kafka.example:9092",
                        postgres_dsn="postgresql://db.example/castline",
                        redis_url="redis://cache.example:6379/0",
                        clickhouse_url="clickhouse://ch.example:9000/castline",
                        rtmp_url="rtmp://ingest.example/live",
                        cassandra_hosts="cassandra.example",
                        s3_endpoint_url="https://s3.example")
    statuses = stack.up(settings)
    assert [(s.name, s.state, s.address) for s in statuses] == [
        ("kafka", "external", "kafka.example:9092"),
        ("postgres", "external", "postgresql://db.example/castline"),
        ("redis", "external", "redis://cache.example:6379/0"),
        ("clickhouse", "external", "clickhouse://ch.example:9000/castline"),
        ("nginx-rtmp", "external", "rtmp://ingest.example/live"),
        ("cassandra", "external", "cassandra.example"),
        ("s3", "external", "https://s3.example"),
    ]
    stack.down(settings)
    assert stack.status(settings) == statuses
    assert not any(tmp_path.iterdir())


def test_a_stale_pid_file_is_never_signalled(tmp_path: Path) -> None:
    """A pid file naming a live process of another binary (the pid was reused) is stale."""
    settings = isolated_settings(tmp_path)
    pid_file = tmp_path / "redis" / "server.pid"
    pid_file.parent.mkdir()
    pid_file.write_text(f"{os.getpid()}\n")
    redis_status = {s.name: s for s in stack.status(settings)}["redis"]
    assert (redis_status.state, redis_status.pid) == ("stopped", None)
    stack.down(settings)
    assert not pid_file.exists()


def test_a_taken_port_is_refused_before_starting(tmp_path: Path) -> None:
    settings = isolated_settings(tmp_path)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", settings.redis_port))
        squatter.listen()
        with pytest.raises(PortInUseError, match=str(settings.redis_port)):
            stack.up(settings, ["redis"])
    assert read_pid(tmp_path / "redis" / "server.pid") is None


def test_a_refused_server_stops_those_started_before_it(tmp_path: Path) -> None:
    settings = isolated_settings(tmp_path)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", settings.clickhouse_port))
        squatter.listen()
        with pytest.raises(PortInUseError, match=str(settings.clickhouse_port)):
            stack.up(settings, ["redis", "clickhouse"])
    statuses = {s.name: s.state for s in stack.status(settings)}
    assert statuses["redis"] == "stopped", "nothing this call started is left running"


class FakeServer(LocalServer):
    """A shell command standing in for a server, to see how failures are reported."""

    name = "fake"
    ready_timeout_s = 1.0

    def __init__(self, script: str) -> None:
        self.script = script

    def external_address(self, settings: Settings) -> str | None:
        return None

    def address(self, settings: Settings) -> str:
        return "127.0.0.1:1"

    def ports(self, settings: Settings) -> tuple[int, ...]:
        return ()

    def executable(self, settings: Settings) -> Path:
        return Path("/bin/sh")

    def arguments(self, settings: Settings, data_dir: Path) -> list[str]:
        return ["-c", self.script]

    def ping(self, settings: Settings) -> None:
        socket.create_connection(("127.0.0.1", free_ports(1)[0]), timeout=1).close()


def test_a_server_that_dies_is_tried_once_more_then_reported_with_its_log(
    tmp_path: Path,
) -> None:
    settings = isolated_settings(tmp_path)
    starts = tmp_path / "starts"
    server = FakeServer(f"echo start >> {starts}; echo 'fatal: no such setting' >&2; exit 3")
    launched = lifecycle.launch(settings, server)
    with pytest.raises(ServerExitedError, match="fatal: no such setting"):
        lifecycle.settle(settings, server, launched)
    assert starts.read_text().splitlines() == ["start", "start"]
    assert lifecycle.server_status(settings, server).state == "stopped"


def test_a_server_that_never_answers_is_stopped(tmp_path: Path) -> None:
    settings = isolated_settings(tmp_path)
    server = FakeServer("echo listening nowhere; sleep 60 & wait")
    launched = lifecycle.launch(settings, server)
    with pytest.raises(ServerNotReadyError, match="listening nowhere"):
        lifecycle.settle(settings, server, launched)
    assert not alive(launched.pid)
    assert not group_members(launched.pid), "the server's child must be stopped too"
