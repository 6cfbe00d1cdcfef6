"""Waiting, bounded, until a started server answers on its own protocol."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import tenacity

from config.settings import Settings
from infra import processes
from infra.errors import ServerExitedError, ServerNotReadyError
from infra.server import LocalServer

log = logging.getLogger(__name__)


def wait_ready(settings: Settings, server: LocalServer, pid: int, logs: tuple[Path, ...]) -> None:
    """Return once `server` answers; raise with its log tails if it dies or times out."""
    started = time.monotonic()

    def probe() -> None:
        if not processes.alive(pid):
            raise ServerExitedError(
                f"{server.name} (pid {pid}) exited before answering on "
                f"{server.address(settings)}; its logs:\n{processes.log_tail(logs)}"
            )
        server.ping(settings)

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_delay(server.ready_timeout_s),
        wait=tenacity.wait_exponential(multiplier=0.02, max=0.5),
        retry=tenacity.retry_if_exception_type(server.ping_errors),
    )
    try:
        retrying(probe)
    except tenacity.RetryError as error:
        last = error.last_attempt.exception()
        raise ServerNotReadyError(
            f"{server.name} (pid {pid}) did not answer on {server.address(settings)} within "
            f"{server.ready_timeout_s:.0f}s (last error: {last!r}); its logs:\n"
            f"{processes.log_tail(logs)}"
        ) from last
    log.debug("%s answered after %.2fs", server.name, time.monotonic() - started)
