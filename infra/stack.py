"""`castline stack up|down|status`: every local server, driven alike."""

from __future__ import annotations

import logging
import time

from castline.settings import Settings
from infra import processes
from infra.errors import StackError
from infra.install import install
from infra.server import LocalServer, ServerStatus
from infra.servers.clickhouse import ClickHouseServer
from infra.servers.kafka import KafkaBroker
from infra.servers.nginx import NginxRtmpServer
from infra.servers.postgres import PostgresServer
from infra.servers.redis import RedisServer

log = logging.getLogger(__name__)

# Adding a server: one module in infra/servers and one entry here.
SERVERS: tuple[LocalServer, ...] = (
    KafkaBroker(), PostgresServer(), RedisServer(), ClickHouseServer(), NginxRtmpServer(),
)
READY_TIMEOUT_S = 60.0


def _running_pid(settings: Settings, server: LocalServer) -> int | None:
    pid = processes.read_pid(settings.state_dir / server.name / "server.pid")
    return pid if pid is not None and processes.alive(pid) else None


def server_status(settings: Settings, server: LocalServer) -> ServerStatus:
    external = server.external_address(settings)
    if external is not None:
        return ServerStatus(server.name, external, "external")
    pid = _running_pid(settings, server)
    state = "running" if pid is not None else "stopped"
    return ServerStatus(server.name, server.address(settings), state, pid)


def status(settings: Settings) -> list[ServerStatus]:
    return [server_status(settings, server) for server in SERVERS]


def up(settings: Settings, names: tuple[str, ...] | None = None) -> list[ServerStatus]:
    """Start what is not running (a second `up` reuses running servers) and wait for all."""
    chosen = [s for s in SERVERS if names is None or s.name in names]
    local = [s for s in chosen if s.external_address(settings) is None]
    install(local)
    for server in local:
        if _running_pid(settings, server) is None:
            _start(settings, server)
    for server in local:
        _wait_ready(settings, server)
        server.after_ready(settings)
    return [server_status(settings, s) for s in chosen]


def _start(settings: Settings, server: LocalServer) -> None:
    data_dir = settings.state_dir / server.name
    data_dir.mkdir(parents=True, exist_ok=True)
    server.prepare(settings, data_dir)
    processes.chown_for(server.run_as, data_dir)
    command = server.command(settings, data_dir)
    pid = processes.start(command, data_dir / "server.log", data_dir / "server.pid",
                          server.run_as)
    log.info("started %s (pid %d) on %s", server.name, pid, server.address(settings))


def _wait_ready(settings: Settings, server: LocalServer) -> None:
    log_file = settings.state_dir / server.name / "server.log"
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        if _running_pid(settings, server) is None:
            raise StackError(f"{server.name} exited; its log ends:\n"
                             f"{processes.log_tail(log_file)}")
        try:
            server.ping(settings)
            return
        except Exception as error:
            if time.monotonic() >= deadline:
                raise StackError(
                    f"{server.name} did not answer within {READY_TIMEOUT_S}s ({error}); "
                    f"its log ends:\n{processes.log_tail(log_file)}"
                ) from error
        time.sleep(0.1)


def down(settings: Settings, names: tuple[str, ...] | None = None) -> None:
    for server in reversed(SERVERS):
        if names is not None and server.name not in names:
            continue
        pid = _running_pid(settings, server)
        if pid is not None:
            processes.stop(pid, server.stop_signal)
            log.info("stopped %s (pid %d)", server.name, pid)
        (settings.state_dir / server.name / "server.pid").unlink(missing_ok=True)
