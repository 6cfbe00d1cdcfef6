"""The worker and gateway as real processes, for integration and end-to-end tests."""

from __future__ import annotations

import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import httpx

from castline.platform import wait_ready
from castline.processes import castline_command, kill, spawn, stop
from config.settings import Settings
from tests.integration.oauth_helpers import PASSWORD
from tests.waiting import until

# A client waits at least as long as the gateway may: the command timeout (30 s in tests)
# and then a read-your-writes wait (30 s in tests).
CLIENT_TIMEOUT_S = 70.0


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

    def wait_serving(self, timeout_s: float = 120) -> None:
        """Until a restarted worker decides and projects again: a sign-up is read back.

        A restarted worker takes a moment to lead its feeds and read up to the end of their
        topics, so the next test would otherwise meet deciders that do not answer yet."""
        key = uuid4().hex
        username = f"probe_{key[:12]}"
        body = {"username": username, "email": f"{username}@example.com",
                "password": PASSWORD}
        with httpx.Client(base_url=self.base_url, timeout=CLIENT_TIMEOUT_S) as api:
            def probe() -> int:
                created = api.post("/api/v1/users", json=body, headers={"Idempotency-Key": key})
                if created.status_code != 201:
                    return created.status_code
                return api.get(f"/api/v1/users/{username}", params={
                    "min_position": created.json()["position"]}).status_code

            until(probe, lambda status: status == 200, timeout_s,
                  "the worker to decide and project again")

    def stop_worker(self) -> None:
        if self.worker is not None:
            stop(self.worker, signal.SIGINT)
            self.worker = None

    def kill_worker(self) -> None:
        if self.worker is not None:
            kill(self.worker)
            self.worker = None

    def start_gateway(self, port: int | None = None, env: dict[str, str] | None = None) -> str:
        port = port or self.settings.gateway_port
        # Another test stack's gateway on this port would answer the readiness probe.
        with socket.socket() as probe:
            assert probe.connect_ex((self.settings.gateway_host, port)) != 0, \
                f"port {port} is already taken"
        process = spawn(
            castline_command("gateway", "--port", str(port)), self.logs / f"gateway-{port}.log",
            env,
        )
        self.gateways.append(process)
        url = f"http://{self.settings.gateway_host}:{port}"
        wait_ready(url)
        return url

    @contextmanager
    def extra_gateway(self, port: int, env: dict[str, str]) -> Iterator[str]:
        """A gateway of its own settings for one test, stopped after it."""
        url = self.start_gateway(port, env)
        process = self.gateways.pop()
        try:
            yield url
        finally:
            stop(process, signal.SIGINT)

    def stop_all(self) -> None:
        self.stop_worker()
        for gateway in self.gateways:
            stop(gateway, signal.SIGINT)
        self.gateways.clear()
