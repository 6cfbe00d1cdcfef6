"""`castline run`: the whole platform in the foreground; Ctrl-C stops all of it."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import tenacity

from castline.processes import castline_command, spawn, stop
from castline.seed import DEMO_PASSWORD, seed
from castline.webapp import build as build_web_app
from config.settings import Settings
from infra import balancer
from infra.ports import ensure_free

MAX_RESTART_DELAY_S = 30.0
BALANCED_HOST = "127.0.0.1"  # the balancer and the gateways behind it listen here only


def prepare(settings: Settings) -> list[str]:
    """Stack up, topics, migrations; return the names of servers started here."""
    from events.catalog import ensure_topics
    from infra.stack import status, up
    from projections.migrate import migrate_postgres

    before = {s.name for s in status(settings) if s.state == "running"}
    started = [s.name for s in up(settings) if s.state == "running" and s.name not in before]
    ensure_topics(settings.kafka)
    migrate_postgres(settings.postgres)
    migrate_history(settings)
    migrate_analytics(settings)
    return started


@contextmanager
def local_stack(settings: Settings) -> Iterator[Settings]:
    """The stack ready for use; servers started here are stopped again on the way out."""
    from infra.stack import down

    started = prepare(settings)
    try:
        yield settings
    finally:
        if started:
            down(settings, tuple(started))


def migrate_analytics(settings: Settings) -> None:
    """The live analytics database with every table, and the analysts' views onto it in the
    configured database (created if missing)."""
    import psycopg

    from analytics import versions
    from stores import clickhouse

    with psycopg.connect(settings.postgres) as conn:
        database = versions.live_location(conn, settings).live
    versions.client_on(settings, database).disconnect()
    clickhouse.ensure_database(settings.clickhouse)
    versions.point_views(settings, database)


def migrate_history(settings: Settings) -> list[str]:
    """Cassandra migrations go to the keyspace chat history reads now (a replay may have
    switched it), after PostgreSQL's, which say where that is."""
    import psycopg

    from feeds import locations
    from projections import chat_history
    from projections.cassandra_schema import migrate_cassandra
    from stores.cassandra import session as cassandra_session

    with psycopg.connect(settings.postgres) as conn:
        keyspace = locations.location(conn, chat_history.NAME, settings.cassandra_keyspace).live
    session = cassandra_session(settings)
    try:
        return migrate_cassandra(settings, session, keyspace)
    finally:
        session.cluster.shutdown()


@tenacity.retry(
    stop=tenacity.stop_after_delay(60), wait=tenacity.wait_fixed(0.2),
    retry=tenacity.retry_if_exception_type((httpx.HTTPError, AssertionError)), reraise=True,
)
def wait_ready(base_url: str) -> None:
    response = httpx.get(f"{base_url}/ready", timeout=5)
    assert response.status_code == 200, response.text


@dataclass
class Supervised:
    """A child kept running: started again after it exits, each time a little later (a worker
    exits non-zero when one of its services crashed)."""

    role: str
    command: list[str]
    log: Path
    process: subprocess.Popen[bytes]
    restarts: int = 0
    restart_at: float | None = None

    @classmethod
    def start(cls, role: str, command: list[str], logs: Path) -> Supervised:
        log = logs / f"{role}.log"
        return cls(role, command, log, spawn(command, log))

    def keep_running(self) -> None:
        code = self.process.poll()
        if code is None:
            return
        if self.restart_at is None:
            stop(self.process)  # what it left in its group (a killed nginx master's worker)
            delay = min(2.0 ** self.restarts, MAX_RESTART_DELAY_S)
            print(f"Castline's {self.role} exited with {code} (see {self.log}); starting it "
                  f"again in {delay:.0f} s.", flush=True)
            self.restart_at = time.monotonic() + delay
        elif time.monotonic() >= self.restart_at:
            self.process = spawn(self.command, self.log)
            self.restarts, self.restart_at = self.restarts + 1, None


def start_gateways(settings: Settings, logs: Path, children: list[Supervised]) -> str:
    """The gateways and, with more than one, the load balancer in front of them, each added
    to `children` as it starts; return the URL clients use, once everything answers there."""
    ensure_free("gateways", (settings.gateway_port, *settings.gateway_upstream_ports))
    if not settings.balanced:
        children.append(Supervised.start("gateway", castline_command("gateway"), logs))
        base_url = f"http://{settings.gateway_host}:{settings.gateway_port}"
        wait_ready(base_url)
        return base_url
    for port in settings.gateway_upstream_ports:
        command = castline_command("gateway", "--host", BALANCED_HOST, "--port", str(port))
        children.append(Supervised.start(f"gateway-{port}", command, logs))
    config = balancer.render(settings, settings.state_dir / "balancer", settings.gateway_port,
                             settings.gateway_upstream_ports)
    children.append(Supervised.start("balancer", balancer.command(config), logs))
    for port in settings.gateway_upstream_ports:
        wait_ready(f"http://{BALANCED_HOST}:{port}")
    base_url = f"http://{BALANCED_HOST}:{settings.gateway_port}"
    wait_ready(base_url)
    return base_url


def run_platform(settings: Settings) -> int:
    logs = settings.state_dir / "logs"
    stopping = threading.Event()
    # Installed explicitly: a shell that starts us in the background leaves SIGINT ignored.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda *_: stopping.set())
    build_web_app()
    with local_stack(settings):
        logs.mkdir(parents=True, exist_ok=True)
        children: list[Supervised] = []
        try:
            children.append(Supervised.start("worker", castline_command("worker"), logs))
            base_url = start_gateways(settings, logs, children)
            _announce(settings, base_url, seed(base_url), logs)
            while not stopping.is_set():
                for child in children:
                    child.keep_running()
                stopping.wait(0.5)
        finally:
            for child in reversed(children):
                stop(child.process, signal.SIGINT)
    print("Castline stopped.", flush=True)
    return 0


def _announce(settings: Settings, base_url: str, channels: list[str], logs: object) -> None:
    print(f"""
Castline is running. Ctrl-C stops everything started here.
  web app      {base_url}/{_balanced(settings)}
  API          {base_url}/api/v1/channels
  OpenAPI      {base_url}/api/v1/openapi.json
  readiness    {base_url}/ready
  demo channel {base_url}/api/v1/channels/{channels[0]}
  live now     {base_url}/api/v1/streams
  OBS server   {settings.rtmp}   (stream key: POST /api/v1/channels/NAME/stream-key)
  HLS          {settings.hls}/NAME.m3u8
  demo sign-in any demo streamer, password {DEMO_PASSWORD}
  Kafka        {settings.kafka}
  PostgreSQL   {settings.postgres}
  ClickHouse   {settings.clickhouse}
  Redis        {settings.redis}
  logs         {logs}
""", flush=True)


def _balanced(settings: Settings) -> str:
    if not settings.balanced:
        return ""
    ports = settings.gateway_upstream_ports
    return (f"\n  gateways     {settings.gateways} behind the load balancer above, on ports "
            f"{ports[0]}-{ports[-1]}")
