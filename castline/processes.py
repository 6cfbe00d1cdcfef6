"""Child processes the project starts, each in its own process group so it can be stopped whole."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def castline_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "castline.cli", *args]


def spawn(
    args: Sequence[str], log_path: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    output = open(log_path, "ab") if log_path else None  # noqa: SIM115 - owned by the child
    try:
        return subprocess.Popen(
            list(args), stdout=output, stderr=subprocess.STDOUT if output else None,
            start_new_session=True, env={**os.environ, **(env or {})},
        )
    finally:
        if output:
            output.close()


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, grace_s: float = 15) -> int:
    """Signal the whole group, wait, and kill what is left."""
    if process.poll() is None:
        _signal_group(process.pid, sig)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait(5)
    _signal_group(process.pid, signal.SIGKILL)  # stragglers the leader left behind
    return process.returncode


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the group at once, as a crash would."""
    _signal_group(process.pid, signal.SIGKILL)
    process.wait(10)


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)
