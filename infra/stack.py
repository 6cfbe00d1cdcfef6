"""`castline stack up|down|status`: every local server, driven alike.

A server whose address settings give (e.g. CASTLINE_KAFKA_BOOTSTRAP) is external: it is
reported, never started or stopped here.
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Collection, Iterator
from contextlib import ExitStack, contextmanager

from config.settings import Settings
from infra import lifecycle, registry
from infra.errors import StackError
from infra.install import install_servers
from infra.registry import SERVERS
from infra.server import ServerStatus

__all__ = ["SERVERS", "ServerStatus", "down", "install", "status", "up"]

log = logging.getLogger(__name__)


def install(settings: Settings) -> None:
    """Install what the servers run here need; does nothing, quickly, when all is there."""
    install_servers(registry.local(settings))


def status(settings: Settings) -> list[ServerStatus]:
    return [lifecycle.server_status(settings, server) for server in SERVERS]


def up(settings: Settings, names: Collection[str] | None = None) -> list[ServerStatus]:
    """Start what is not running, reuse what is, and return once every server answers."""
    started = time.monotonic()
    servers = registry.local(settings, names)
    install_servers(servers)
    if servers:
        with _locked(settings), ExitStack() as undo:
            launches = []
            for server in servers:
                launched = lifecycle.launch(settings, server)
                if not launched.reused:  # a failure below stops what this call started
                    undo.callback(lifecycle.stop, settings, server)
                launches.append((server, launched))
            for server, launched in launches:
                lifecycle.settle(settings, server, launched)
            undo.pop_all()
    log.info("stack up in %.1fs (state in %s)", time.monotonic() - started, settings.state_dir)
    return [lifecycle.server_status(settings, server) for server in registry.chosen(names)]


def down(settings: Settings, names: Collection[str] | None = None) -> None:
    """Stop every local server's process group; data stays in the state dir."""
    servers = registry.local(settings, names)
    if not servers or not settings.state_dir.is_dir():
        return
    failures: list[str] = []
    with _locked(settings):
        for server in reversed(servers):
            try:
                lifecycle.stop(settings, server)
            except StackError as error:
                failures.append(f"{server.name}: {error}")
    if failures:
        raise StackError("some servers could not be stopped:\n" + "\n".join(failures))


@contextmanager
def _locked(settings: Settings) -> Iterator[None]:
    """One `up` or `down` at a time per state dir."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.state_dir / "stack.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
