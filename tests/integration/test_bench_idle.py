"""`castline bench idle`, briefly: it starts the platform, measures each process and gives a
verdict (whatever the figure: speed is the bench's to measure, not a test's)."""

from __future__ import annotations

import os
import re
import subprocess

from castline.processes import castline_command
from config.settings import Settings


def test_the_idle_bench_reports_each_process_and_a_verdict(stack: Settings) -> None:
    # Its own gateway port: the session's gateways listen on the usual one and the next.
    port = str(stack.gateway_port + 2)
    ran = subprocess.run(
        castline_command("bench", "idle", "--seconds", "2", "--settle", "0"),
        env={**os.environ, "CASTLINE_GATEWAY_PORT": port}, capture_output=True, text=True,
        timeout=600, check=False)
    assert ran.returncode in (0, 1), ran.stderr[-3000:]
    for process in ("worker (castline)", "gateway (castline)", "kafka", "postgres"):
        assert re.search(rf"^  {re.escape(process)} +pid \d+ +\d+\.\d %", ran.stdout,
                         re.MULTILINE), ran.stdout
    assert re.search(r"^(PASS|FAIL): castline \+ broker \d+\.\d %", ran.stdout,
                     re.MULTILINE), ran.stdout
