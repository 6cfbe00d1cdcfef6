"""The worker and gateway as real processes, for integration and end-to-end tests."""

from __future__ import annotations

import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from castline.platform import wait_ready
from castline.processes import castline_command, kill, spawn, stop
from castline.settings import Settings


@dataclass
class RunningPlatform:
    settings: Settings
    logs: Path
    worker: subprocess.Popen[bytes] | None = None
    gateways: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://{self.settings.gateway_host}:{self.settings.gateway_port}"

    def start_worker(self, env: dict[str, str] | None = None) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.worker = spawn(castline_command("worker"), self.logs / "worker.log", env)

    def stop_worker(self) -> None:
        if self.worker is not None:
            stop(self.worker, signal.SIGINT)
            self.worker = None

    def kill_worker(self) -> None:
        if self.worker is not None:
            kill(self.worker)
            self.worker = None

    def start_gateway(self, port: int | None = None) -> str:
        port = port or self.settings.gateway_port
        process = spawn(
            castline_command("gateway", "--port", str(port)), self.logs / f"gateway-{port}.log"
        )
        self.gateways.append(process)
        url = f"http://{self.settings.gateway_host}:{port}"
        wait_ready(url)
        return url

    def stop_all(self) -> None:
        self.stop_worker()
        for gateway in self.gateways:
            stop(gateway, signal.SIGINT)
        self.gateways.clear()
