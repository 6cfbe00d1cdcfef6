"""What the benches share: the worker and gateways as processes, their CPU time, and throwaway
streamers."""

from __future__ import annotations

import signal
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import httpx
import psutil
import tenacity

from castline.platform import wait_ready
from castline.processes import castline_command, spawn, stop
from config.settings import Settings
from infra.stack import status

PASSWORD = "bench-password-1"  # noqa: S105 - a throwaway account on the local stack
WORKER_ROLES = ("deciders", "projectors")


@dataclass(frozen=True)
class Platform:
    bases: list[str]  # each gateway's HTTP base URL
    pids: dict[str, int]  # each process by what it is ("deciders worker", "gateway 1", ...)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the kernel's pick), for a process started next."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


# Every bench registers its users from this one address, bench after bench within the limit's
# window: the per-address registration limit would refuse them.
BENCH_ENV = {"CASTLINE_REGISTRATIONS_PER_ADDRESS": "1000000"}


@contextmanager
def platform_processes(settings: Settings, logs: Path, env: dict[str, str] | None = None,
                       gateway_ports: Sequence[int] = ()) -> Iterator[Platform]:
    """The real deciders and projectors (each role a process) and one gateway per port (the
    configured one by default); `env` adds settings to each."""
    logs.mkdir(parents=True, exist_ok=True)
    env = {**BENCH_ENV, **(env or {})}
    ports = list(gateway_ports) or [settings.gateway_port]
    children = {f"{role} worker": spawn(castline_command("worker", "--role", role),
                                        logs / f"bench-{role}.log", env)
                for role in WORKER_ROLES}
    for number, port in enumerate(ports, 1):
        label = f"gateway {number}" if len(ports) > 1 else "gateway"
        children[label] = spawn(castline_command("gateway", "--port", str(port)),
                                logs / f"bench-gateway-{number}.log", env)
    try:
        bases = [f"http://{settings.gateway_host}:{port}" for port in ports]
        for base in bases:
            wait_ready(base)
        yield Platform(bases, {label: child.pid for label, child in children.items()})
    finally:
        for child in children.values():
            stop(child, signal.SIGINT)


@contextmanager
def platform(settings: Settings, logs: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The real deciders, projectors and gateway as processes; yields the gateway's base URL."""
    with platform_processes(settings, logs, env) as running:
        yield running.bases[0]


def stack_pids(settings: Settings, names: Sequence[str] | None = ("kafka", "postgres", "redis")
               ) -> dict[str, int]:
    """The local stack's servers by name ("kafka" is the broker), those running here; every
    one of them with `names` None."""
    return {server.name: server.pid for server in status(settings)
            if (names is None or server.name in names) and server.pid is not None}


@dataclass
class CpuMeter:
    """CPU time (user + system) each process spends between `start` and `stop`, with every
    descendant but for those `alone` (the bench itself, whose children are measured apart).
    A descendant that appears meanwhile counts whole; one that ends meanwhile is not counted."""

    pids: Mapping[str, int]
    alone: frozenset[str] = frozenset()
    started: dict[str, dict[int, float]] = field(default_factory=dict)
    spent: dict[str, float] = field(default_factory=dict)

    def start(self) -> None:
        self.started = {label: self._family(label) for label in self.pids}

    def stop(self) -> None:
        self.spent = {label: sum(s - self.started[label].get(pid, 0.0)
                                 for pid, s in self._family(label).items())
                      for label in self.pids}

    def _family(self, label: str) -> dict[int, float]:
        return family_cpu_s(self.pids[label], label not in self.alone)


def family_cpu_s(pid: int, descendants: bool) -> dict[int, float]:
    """CPU seconds so far of the process and, if asked, each of its descendants, by pid."""
    try:
        process = psutil.Process(pid)
        family = [process, *(process.children(recursive=True) if descendants else ())]
    except psutil.NoSuchProcess:
        return {}
    spent = {}
    for member in family:
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        spent[member.pid] = times.user + times.system
    return spent


@tenacity.retry(retry=tenacity.retry_if_exception_type(httpx.HTTPStatusError), reraise=True,
                stop=tenacity.stop_after_delay(60), wait=tenacity.wait_fixed(1))
def register(api: httpx.Client, name: str) -> httpx.Response:
    """Tried again (the same command, by its Idempotency-Key) while the worker starts up."""
    registered = api.post("/api/v1/users", headers={"Idempotency-Key": name}, json={
        "username": name, "email": f"{name}@bench.example", "password": PASSWORD})
    registered.raise_for_status()
    return registered


def streamer(api: httpx.Client) -> tuple[str, str, str, dict[str, str]]:
    name = f"bench_{uuid4().hex[:10]}"
    registered = register(api, name)
    # Sign-in reads the users read model: wait for the registration to reach it.
    api.get(f"/api/v1/users/{name}",
            params={"min_position": registered.json()["position"]}).raise_for_status()
    tokens = api.post("/oauth2/token", data={"grant_type": "password", "username": name,
                                             "password": PASSWORD, "client_id": "castline-web"})
    auth = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
    tag = f"b{uuid4().hex[:12]}"
    tagged = api.patch(f"/api/v1/channels/{name}", json={"tags": [tag]}, headers=auth)
    tagged.raise_for_status()
    # Chat and the stream key look the channel up in its read model: wait until it is there.
    api.get(f"/api/v1/channels/{name}",
            params={"min_position": tagged.json()["position"]}).raise_for_status()
    key = api.post(f"/api/v1/channels/{name}/stream-key", headers=auth).json()["data"]
    return name, tag, f"{key['server']}/{key['stream_key']}", auth
