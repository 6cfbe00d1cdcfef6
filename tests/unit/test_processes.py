"""What the stack knows of a server's process: alive, of which executable, and its group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.processes import alive, group_members, owns_group, poll_until, runs


@pytest.fixture
def group() -> Iterator[subprocess.Popen[bytes]]:
    """A leader in its own session with a child in its group."""
    leader = subprocess.Popen(["sh", "-c", "sleep 60 & wait"], start_new_session=True)
    try:
        yield leader
    finally:
        os.killpg(leader.pid, signal.SIGKILL)
        leader.wait()


def test_this_process_is_alive_and_a_gone_or_impossible_one_is_not() -> None:
    assert alive(os.getpid())
    finished = subprocess.Popen(["true"])
    finished.wait()
    assert not alive(finished.pid)
    assert not alive(-1)


def test_a_zombie_is_not_alive() -> None:
    exited = subprocess.Popen(["true"])
    assert poll_until(lambda: not alive(exited.pid), 5.0)
    exited.wait()


def test_a_process_runs_its_own_executable_only() -> None:
    assert runs(os.getpid(), Path(sys.executable))
    assert not runs(os.getpid(), Path("/bin/sh"))


def test_a_group_lists_its_live_members(group: subprocess.Popen[bytes]) -> None:
    sleep = Path("/bin/sleep").resolve()
    # The shell's child is a member from its fork, and runs sleep only once it has exec'd.
    assert poll_until(lambda: owns_group(group.pid, sleep), 5.0)
    assert len(group_members(group.pid)) == 2
    assert group.pid in group_members(group.pid)
    assert os.getpid() not in group_members(group.pid)
    assert not owns_group(group.pid, Path(sys.executable))
