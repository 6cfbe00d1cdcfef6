"""How soon each decider answers again after the worker is SIGKILLed and started again, against a
clean restart (Ctrl-C, then start) of the same worker in the same run.

Each round stops the worker, starts a new one and sends, at once and in parallel, one command
to each decider (the same Idempotency-Key again while it answers 503): a registration (account
decider), a bits purchase (wallet), a subscription (subscriptions) and a title change
(channels). The time is from the new worker's start to the command's 2xx.
"""

from __future__ import annotations

import signal
import statistics
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import uuid4

import httpx

from bench.harness import PASSWORD, streamer
from bench.verdicts import Verdicts
from castline.platform import wait_ready
from castline.processes import castline_command, kill, spawn, stop
from config.settings import Settings

TARGET_S = 30.0
KILLED_TO_CLEAN = 1.5
CARD = "4242424242424242"
Probe = Callable[[], httpx.Response]


def _until_decided(probe: Probe, started: float, deadline_s: float = 120) -> float:
    while time.monotonic() - started < deadline_s:
        try:
            if probe().status_code < 300:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no decision within {deadline_s}s")


def _probes(api: httpx.Client, auth: dict[str, str], name: str) -> dict[str, Probe]:
    def keyed() -> dict[str, str]:
        return {**auth, "Idempotency-Key": uuid4().hex}

    purchase, subscription, title = keyed(), keyed(), keyed()
    user = f"rec_{uuid4().hex[:12]}"
    channel = streamer(api)[0]
    return {
        "account": lambda: api.post("/api/v1/users", headers={"Idempotency-Key": user}, json={
            "username": user, "email": f"{user}@bench.example", "password": PASSWORD}),
        "wallet": lambda: api.post("/api/v1/bits/purchases", headers=purchase,
                                   json={"pack": 100, "card_number": CARD}),
        "subscription": lambda: api.post(f"/api/v1/channels/{channel}/subscriptions",
                                         headers=subscription,
                                         json={"tier": 1000, "card_number": CARD}),
        "channel": lambda: api.patch(f"/api/v1/channels/{name}", headers=title,
                                     json={"title": f"t{uuid4().hex[:8]}"}),
    }


def run_recovery_bench(settings: Settings, rounds: int) -> bool:
    logs = settings.state_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    gateway = spawn(castline_command("gateway"), logs / "bench-gateway.log")
    worker = spawn(castline_command("worker"), logs / "bench-worker.log")
    base = f"http://{settings.gateway_host}:{settings.gateway_port}"
    times: dict[str, dict[str, list[float]]] = {"SIGKILL": {}, "clean restart": {}}
    try:
        wait_ready(base)
        with httpx.Client(base_url=base, timeout=60) as api:
            name, _, _, auth = streamer(api)
            for _ in range(rounds):
                for how, end in (("SIGKILL", kill), ("clean restart", _clean)):
                    probes = _probes(api, auth, name)  # its channel made while a worker runs
                    end(worker)
                    worker, measured = _round(probes, logs)
                    for decider, seconds in measured.items():
                        times[how].setdefault(decider, []).append(seconds)
    finally:
        stop(worker, signal.SIGINT)
        stop(gateway, signal.SIGINT)
    return _report(times, rounds)


def _clean(worker: subprocess.Popen[bytes]) -> None:
    stop(worker, signal.SIGINT)


def _round(probes: dict[str, Probe], logs: Path
           ) -> tuple[subprocess.Popen[bytes], dict[str, float]]:
    worker = spawn(castline_command("worker"), logs / "bench-worker.log")
    started = time.monotonic()
    with ThreadPoolExecutor(len(probes)) as pool:
        futures = {d: pool.submit(_until_decided, p, started) for d, p in probes.items()}
        return worker, {d: f.result() for d, f in futures.items()}


def _report(times: dict[str, dict[str, list[float]]], rounds: int) -> bool:
    print(f"Decider recovery after a worker restart, {rounds} rounds each (seconds from the "
          f"new worker's start to a decided command)")
    print(f"{'decider':<14}{'clean median':>14}{'clean max':>11}{'kill median':>13}"
          f"{'kill max':>10}")
    for decider in times["SIGKILL"]:
        clean, killed = times["clean restart"][decider], times["SIGKILL"][decider]
        print(f"{decider:<14}{statistics.median(clean):>14.1f}{max(clean):>11.1f}"
              f"{statistics.median(killed):>13.1f}{max(killed):>10.1f}")
    verdicts = Verdicts()
    for decider, killed in times["SIGKILL"].items():
        clean = times["clean restart"][decider]
        verdicts.figure(f"{decider}: slowest after a SIGKILL", max(killed), TARGET_S,
                        higher_is_better=False, unit=" s")
        verdicts.figure(f"{decider}: median after a SIGKILL / after a clean restart (chosen: "
                        "a killed worker recovers about as fast)",
                        statistics.median(killed) / statistics.median(clean), KILLED_TO_CLEAN,
                        higher_is_better=False)
        verdicts.complete(f"{decider}'s rounds", [
            f"{how}: {len(measured)} of {rounds} rounds decided"
            for how, measured in (("SIGKILL", killed), ("clean restart", clean))
            if len(measured) != rounds])
    return verdicts.passed
