"""Pid files and process groups for the local servers."""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import subprocess
import time
from pathlib import Path

from infra.errors import StackError

# Servers outlive the command that starts them; holding their handles here keeps Popen from
# warning that a process it owns is still running when the handle is collected.
_LAUNCHED: dict[int, subprocess.Popen[bytes]] = {}


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def run_as_kwargs(user: str | None) -> dict[str, object]:
    """When root, run as `user` (servers such as PostgreSQL refuse to run as root)."""
    if user is None or os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


def chown_for(user: str | None, path: Path) -> None:
    if user is None or os.geteuid() != 0:
        return
    entry = pwd.getpwnam(user)
    for parent in path.resolve().parents:
        if not parent.stat().st_mode & 0o001:
            raise StackError(
                f"{path} is inside {parent}, which user {user!r} cannot enter; "
                "choose a state dir whose parents are world-traversable (chmod o+x)"
            )
    for root, dirs, files in os.walk(path):
        for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
            os.chown(name, entry.pw_uid, entry.pw_gid)


def start(command: list[str], log_file: Path, pid_file: Path, user: str | None) -> int:
    with open(log_file, "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, **run_as_kwargs(user),  # type: ignore[call-overload]
        )
    pid_file.write_text(str(process.pid))
    _LAUNCHED[process.pid] = process
    return int(process.pid)


def stop(pid: int, sig: int, grace_s: float = 20.0) -> None:
    """Signal the server's process group; SIGKILL what is left after the grace period."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)
    deadline = time.monotonic() + grace_s
    while alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    _reap(pid)
    if alive(pid):
        raise StackError(f"process {pid} survived SIGKILL")


def _reap(pid: int) -> None:
    launched = _LAUNCHED.get(pid)
    if launched is None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    elif launched.poll() is not None:
        del _LAUNCHED[pid]


def log_tail(log_file: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log_file.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"
