"""What a local server is: how to install, prepare, start, check and stop it."""

from __future__ import annotations

import logging
import signal
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from config.settings import Settings

State = Literal["running", "stopped", "external"]


@dataclass(frozen=True)
class ServerStatus:
    name: str
    address: str
    state: State
    pid: int | None = None


class LocalServer(ABC):
    """One server. Subclasses fill in the parts; `infra.lifecycle` drives them all alike."""

    name: str = ""
    debian_packages: tuple[str, ...] = ()
    binaries: tuple[str, ...] = ()  # all present means installed
    wheels: tuple[tuple[str, str], ...] = ()  # (importable module, pip requirement)
    stop_signal: int = signal.SIGTERM
    run_as: str | None = None  # system user to run as when we are root
    ready_timeout_s: float = 60.0
    # What ping() raises while the server is still starting; anything else fails at once.
    ping_errors: tuple[type[BaseException], ...] = (OSError,)

    @abstractmethod
    def external_address(self, settings: Settings) -> str | None:
        """The address given in settings; when set, nothing is started locally."""

    @abstractmethod
    def address(self, settings: Settings) -> str: ...

    @abstractmethod
    def ports(self, settings: Settings) -> tuple[int, ...]:
        """Every port the server listens on (all on 127.0.0.1)."""

    @abstractmethod
    def executable(self, settings: Settings) -> Path:
        """The binary that runs as the server process (identifies it behind a pid file)."""

    @abstractmethod
    def arguments(self, settings: Settings, data_dir: Path) -> list[str]: ...

    @abstractmethod
    def ping(self, settings: Settings) -> None:
        """Return when the server answers on its protocol; raise one of `ping_errors` if not."""

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        """Set up the data dir before each start (initdb once, rendered config)."""
        return None

    def after_ready(self, settings: Settings) -> None:
        """Create what the project expects to exist (databases)."""
        return None

    def logs(self, data_dir: Path) -> tuple[Path, ...]:
        """Logs worth showing when the server fails to start, besides server.log."""
        return ()


@contextmanager
def quiet(*loggers: str) -> Iterator[None]:
    """Silence client libraries that log each refused connection with its traceback while a
    readiness probe expects refusals."""
    levels = {name: logging.getLogger(name).level for name in loggers}
    for name in loggers:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
