"""Chat clients written for Node.js (tests/clients, installed by `make setup`), run as
processes: their events come as JSON lines on stdout, actions go as JSON lines to stdin."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CLIENTS = Path(__file__).resolve().parent.parent / "clients"
TIMEOUT_S = 20.0

Event = dict[str, Any]


class NodeClient:
    def __init__(self, script: str, settings: dict[str, Any],
                 env: dict[str, str] | None = None) -> None:
        assert (CLIENTS / "node_modules").is_dir(), "the test clients are not installed: make setup"
        self.process = subprocess.Popen(
            ["node", str(CLIENTS / script), json.dumps(settings)], cwd=CLIENTS,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, **(env or {})})
        self.events: queue.Queue[Event] = queue.Queue()
        self.seen: list[Event] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                self.events.put(json.loads(line))
            except json.JSONDecodeError:
                self.events.put({"event": "output", "text": line})

    def send(self, **action: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(action) + "\n")
        self.process.stdin.flush()

    def until(self, wanted: Callable[[Event], bool], what: str,
              timeout_s: float = TIMEOUT_S) -> Event:
        """The first event, among those not yet taken, that is wanted."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = next((event for event in self.seen if wanted(event)), None)
            if found is not None:
                self.seen.remove(found)
                return found
            try:
                self.seen.append(self.events.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"no {what} within {timeout_s} s; saw {self.seen}") from None

    def close(self) -> None:
        if self.process.poll() is None:
            self.send(quit=True)
            try:
                self.process.wait(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


def event(kind: str, **fields: Any) -> Callable[[Event], bool]:
    return lambda found: found.get("event") == kind and all(
        found.get(key) == value for key, value in fields.items())
