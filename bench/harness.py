"""What the benches share: the worker and gateway as processes, and throwaway streamers."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import httpx
import tenacity

from castline.platform import wait_ready
from castline.processes import castline_command, spawn, stop
from config.settings import Settings

PASSWORD = "bench-password-1"  # noqa: S105 - a throwaway account on the local stack


@contextmanager
def platform(settings: Settings, logs: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The real deciders, projectors and gateway as processes; `env` adds settings to each."""
    logs.mkdir(parents=True, exist_ok=True)
    children = [spawn(castline_command("worker", "--role", role), logs / f"bench-{role}.log", env)
                for role in ("deciders", "projectors")]
    children.append(spawn(castline_command("gateway"), logs / "bench-gateway.log", env))
    try:
        base = f"http://{settings.gateway_host}:{settings.gateway_port}"
        wait_ready(base)
        yield base
    finally:
        for child in children:
            stop(child, signal.SIGINT)


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
