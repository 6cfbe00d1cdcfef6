"""What a local server is: how to install, prepare, start, check and stop it."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from pathlib import Path

from castline.settings import Settings


@dataclass(frozen=True)
class ServerStatus:
    name: str
    address: str
    state: str  # "running", "stopped" or "external"
    pid: int | None = None


class LocalServer:
    """One server. Subclasses fill in the parts; `infra.stack` drives them all alike."""

    name: str = ""
    debian_packages: tuple[str, ...] = ()
    binaries: tuple[str, ...] = ()  # present means installed
    stop_signal: int = signal.SIGTERM
    run_as: str | None = None  # system user to run as when we are root

    def external_address(self, settings: Settings) -> str | None:
        """The address given in settings; when set, nothing is started locally."""
        raise NotImplementedError

    def address(self, settings: Settings) -> str:
        raise NotImplementedError

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        """One-time and every-start set-up of the data dir (initdb, rendered config)."""

    def command(self, settings: Settings, data_dir: Path) -> list[str]:
        raise NotImplementedError

    def ping(self, settings: Settings) -> None:
        """Raise unless the server answers on its protocol."""
        raise NotImplementedError

    def after_ready(self, settings: Settings) -> None:
        """Create what the project expects to exist (databases)."""
