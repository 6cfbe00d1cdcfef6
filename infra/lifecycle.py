"""One server's life: where it keeps its files, starting, reusing, checking and stopping it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from config.settings import Settings
from infra import processes
from infra.errors import ServerExitedError, StackError
from infra.ports import ensure_free
from infra.readiness import wait_ready
from infra.server import LocalServer, ServerStatus, State

log = logging.getLogger(__name__)

STOP_GRACE_S = 20.0


@dataclass(frozen=True)
class ServerFiles:
    dir: Path
    log: Path
    pid: Path


@dataclass(frozen=True)
class Launch:
    pid: int
    reused: bool


def files_of(settings: Settings, server: LocalServer) -> ServerFiles:
    directory = settings.state_dir / server.name
    return ServerFiles(directory, directory / "server.log", directory / "server.pid")


def running_pid(settings: Settings, server: LocalServer) -> int | None:
    """The server's pid when its pid file names a live process of its binary."""
    pid = processes.read_pid(files_of(settings, server).pid)
    if pid is None or not processes.runs(pid, server.executable(settings)):
        return None
    return pid


def server_status(settings: Settings, server: LocalServer) -> ServerStatus:
    external = server.external_address(settings)
    if external is not None:
        return ServerStatus(server.name, external, "external")
    pid = running_pid(settings, server)
    state: State = "running" if pid is not None else "stopped"
    return ServerStatus(server.name, server.address(settings), state, pid)


def launch(settings: Settings, server: LocalServer) -> Launch:
    """Start the server unless its pid file names a live one (whose answer `settle` checks)."""
    pid = running_pid(settings, server)
    if pid is not None:
        log.info("%s: reusing pid %d on %s", server.name, pid, server.address(settings))
        return Launch(pid, reused=True)
    stop(settings, server)  # a stale pid file, or orphans of a crashed leader
    return Launch(start(settings, server), reused=False)


def start(settings: Settings, server: LocalServer) -> int:
    files = files_of(settings, server)
    ensure_free(server.name, server.ports(settings))
    files.dir.mkdir(parents=True, exist_ok=True)
    processes.chown_for(server.run_as, files.dir)
    server.prepare(settings, files.dir)
    command = [str(server.executable(settings)), *server.arguments(settings, files.dir)]
    log.debug("%s: running %s", server.name, " ".join(command))
    pid = processes.spawn(command, files.dir, files.log, server.run_as)
    files.pid.write_text(f"{pid}\n")
    log.info("%s: started pid %d on %s (log %s)", server.name, pid,
             server.address(settings), files.log)
    return pid


def settle(settings: Settings, server: LocalServer, launched: Launch, retries: int = 1) -> None:
    """Wait until the server answers, then create what the project expects in it.

    A reused process that does not answer is replaced. A new one that exits before answering
    is started `retries` more times (Cassandra 1.2 has been seen to fail a first start under
    load, unable to create a directory it then creates fine); one that hangs is stopped.
    """
    try:
        wait_ready(settings, server, launched.pid, _logs(settings, server))
    except StackError as error:
        stop(settings, server)
        exited = isinstance(error, ServerExitedError)
        if not launched.reused and not (exited and retries > 0):
            raise
        log.warning("%s: pid %d %s (%s); starting it again", server.name, launched.pid,
                    "exited" if exited else "runs but does not answer",
                    str(error).splitlines()[0])
        fresh = Launch(start(settings, server), reused=False)
        settle(settings, server, fresh, retries - 1 if exited and not launched.reused else 0)
        return
    server.after_ready(settings)


def stop(settings: Settings, server: LocalServer) -> None:
    """Stop the server's whole process group, if it is ours, and remove its pid file."""
    files = files_of(settings, server)
    pid = processes.read_pid(files.pid)
    if pid is None:
        return
    if processes.owns_group(pid, server.executable(settings)):
        processes.stop_group(pid, server.stop_signal, STOP_GRACE_S)
        log.info("%s: stopped pid %d", server.name, pid)
    else:
        log.info("%s: removing stale pid file (pid %d is gone or not %s)", server.name, pid,
                 server.executable(settings).name)
    files.pid.unlink(missing_ok=True)


def _logs(settings: Settings, server: LocalServer) -> tuple[Path, ...]:
    files = files_of(settings, server)
    return (files.log, *server.logs(files.dir))
