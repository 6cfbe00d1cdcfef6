"""The examples run as their users run them: as processes, their output read as it comes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from castline.processes import spawn, stop
from tests.conftest import ARTIFACTS, ROOT
from tests.running import CLIENT_TIMEOUT_S
from tests.waiting import until

ENV = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def command(example: str, *args: str) -> list[str]:
    return [sys.executable, "-u", "-m", f"examples.{example}", *args]


@dataclass(frozen=True)
class ExampleRun:
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout_s: float = CLIENT_TIMEOUT_S) -> str:
        return until(self.output, lambda out: text in out, timeout_s,
                     f"{text!r} from {self.log.name}")


@contextmanager
def running(example: str, *args: str, name: str) -> Iterator[ExampleRun]:
    """A long-running example, stopped with Ctrl-C (SIGINT) as its user would stop it."""
    log = ARTIFACTS / "examples" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    process = spawn(command(example, *args), log, ENV)
    try:
        yield ExampleRun(process, log)
    finally:
        stop(process, signal.SIGINT)


def run(example: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A one-shot example to its end, its output captured."""
    return subprocess.run(command(example, *args), capture_output=True, text=True, check=False,
                          timeout=CLIENT_TIMEOUT_S * 2, env={**os.environ, **ENV},
                          stdin=subprocess.DEVNULL)
