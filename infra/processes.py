"""Server processes: spawning into their own session, pid files, identity, process groups."""

from __future__ import annotations

import contextlib
import logging
import os
import pwd
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import psutil
import tenacity

from infra.errors import StackError, StopError

log = logging.getLogger(__name__)

# Servers outlive the command that starts them; holding their handles here keeps Popen from
# warning that a process it owns is still running when the handle is collected.
_LAUNCHED: dict[int, subprocess.Popen[bytes]] = {}


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def alive(pid: int) -> bool:
    _reap(pid)
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, ValueError):  # ValueError: not a pid (a negative number)
        return False


def runs(pid: int, executable: Path) -> bool:
    """Whether `pid` is a live process of `executable`: a pid in a stale file may be reused."""
    if not alive(pid):
        return False
    try:
        exe = psutil.Process(pid).exe()
    except psutil.Error:
        return False
    return exe == os.path.realpath(executable)


def group_members(pgid: int) -> list[int]:
    return [process.pid for process in psutil.process_iter() if _in_group(process, pgid)]


def _in_group(process: psutil.Process, pgid: int) -> bool:
    try:
        return (os.getpgid(process.pid) == pgid
                and process.status() != psutil.STATUS_ZOMBIE)
    except (ProcessLookupError, psutil.NoSuchProcess):
        return False


def owns_group(pgid: int, executable: Path) -> bool:
    """Whether the group still holds a process of `executable` (its leader may be gone)."""
    return any(runs(pid, executable) for pid in group_members(pgid))


def _run_as(user: str | None) -> tuple[int | None, int | None, list[int] | None]:
    """uid, gid, supplementary groups for `user` when we are root (some servers refuse root)."""
    if user is None or os.geteuid() != 0:
        return None, None, None
    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid, []


def spawn(command: list[str], data_dir: Path, log_file: Path, user: str | None) -> int:
    """Start `command` in its own session (it outlives us; its group is stopped as one)."""
    uid, gid, groups = _run_as(user)
    with open(log_file, "ab") as output:
        process = subprocess.Popen(
            command, cwd=data_dir, stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True, user=uid, group=gid,
            extra_groups=groups,
        )
    _LAUNCHED[process.pid] = process
    return process.pid


def chown_for(user: str | None, path: Path) -> None:
    """Give `path` (recursively, once) to `user` when we are root and will run as them."""
    uid, gid, _ = _run_as(user)
    if uid is None or gid is None:
        return
    for parent in path.resolve().parents:
        if not parent.stat().st_mode & 0o001:
            raise StackError(
                f"{path} is inside {parent}, which user {user!r} cannot enter; choose a "
                "state dir (CASTLINE_STATE_DIR) whose parents are world-traversable (chmod o+x)"
            )
    if path.stat().st_uid == uid:
        return
    for root, dirs, files in os.walk(path):
        for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
            os.chown(name, uid, gid)


def poll_until(done: Callable[[], bool], timeout_s: float) -> bool:
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_delay(timeout_s),
        wait=tenacity.wait_exponential(multiplier=0.01, max=0.2),
        retry=tenacity.retry_if_result(lambda finished: not finished),
        retry_error_callback=lambda _: False,
    )
    return bool(retrying(done))


def stop_group(pgid: int, sig: int, grace_s: float) -> None:
    """Signal the leader; once it is gone, or after `grace_s`, SIGKILL whatever is left."""
    if alive(pgid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pgid, sig)
            os.kill(pgid, signal.SIGCONT)  # a stopped (SIGSTOP) process acts on it only then
        if not poll_until(lambda: not alive(pgid), grace_s):
            log.warning("process %d ignored signal %d for %.0fs; killing its group",
                        pgid, sig, grace_s)
    if poll_until(lambda: not group_members(pgid), 1.0):
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    if not poll_until(lambda: not group_members(pgid) and not alive(pgid), 5.0):
        raise StopError(f"processes {group_members(pgid)} of group {pgid} survived SIGKILL")


def _reap(pid: int) -> None:
    launched = _LAUNCHED.get(pid)
    if launched is not None and launched.poll() is not None:
        del _LAUNCHED[pid]


def log_tail(paths: tuple[Path, ...], lines: int = 20) -> str:
    parts = []
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            tail = _last_lines(path, lines)
            if tail:
                parts.append(f"--- {path} (last {len(tail)} lines)\n" + "\n".join(tail))
    return "\n".join(parts) or "(the logs are empty)"


def _last_lines(path: Path, lines: int) -> list[str]:
    with open(path, "rb") as log_file:
        size = log_file.seek(0, os.SEEK_END)
        log_file.seek(max(0, size - 64 * 1024))
        return log_file.read().decode(errors="replace").splitlines()[-lines:]


def run(command: list[str], cwd: Path, log_file: Path, user: str | None) -> int:
    """Run a one-off set-up command (initdb) to completion, its output appended to the log."""
    uid, gid, groups = _run_as(user)
    with open(log_file, "ab") as output:
        return subprocess.run(
            command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, user=uid, group=gid, extra_groups=groups, check=False,
        ).returncode
