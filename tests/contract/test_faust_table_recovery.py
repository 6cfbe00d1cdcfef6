"""A Faust table rebuilt from its changelog by a new worker holds exactly the last state.

Brokers that report a wrong end of log make Faust stop restoring early and silently lose the
last records; this catches that, and tells a lost write (changelog wrong) from a short restore.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from confluent_kafka import Producer

from castline.processes import spawn, stop
from tests.contract.conftest import Topics
from tests.contract.faust_table_app import changelog_name
from tests.contract.kafka_helpers import end_offsets, produce_all, read_topic, unique
from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]
PARTITIONS = 4
UPDATES = 400
KEYS = 17
DEADLINE_S = 20.0


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    report: Path
    log: Path

    def read_report(self) -> dict[str, Any] | None:
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited with {self.process.returncode}")
        if not self.report.exists():
            return None
        loaded: dict[str, Any] = json.loads(self.report.read_text())
        return loaded

    def wait_recovered(self) -> dict[str, Any]:
        """The report of a recovery that covered every partition."""
        try:
            report = until(self.read_report,
                           lambda r: r is not None and r["partitions"] == list(range(PARTITIONS)),
                           DEADLINE_S, f"a recovery holding all {PARTITIONS} partitions", 0.05)
        except AssertionError as error:
            raise AssertionError(f"{error}\nworker log ends:\n{self.log_tail()}") from None
        assert report is not None
        return report

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])


@contextmanager
def worker(bootstrap: str, source: str, app_id: str, where: Path, run: str) -> Iterator[Worker]:
    """A worker process in its own process group, stopped (SIGTERM, then SIGKILL) on exit."""
    report, log = where / f"{run}-report.json", where / f"{run}.log"
    command = [sys.executable, "-m", "tests.contract.faust_table_app", bootstrap, source,
               app_id, str(PARTITIONS), str(where / f"{run}-data"), str(report)]
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    process = spawn(command, log, env={"PYTHONPATH": path})
    try:
        yield Worker(process, report, log)
    finally:
        stop(process, signal.SIGTERM)


def test_table_recovers_exactly_from_its_changelog(
    bootstrap: str, reliable: Producer, topics: Topics, tmp_path: Path
) -> None:
    """One worker builds the table; a fresh one (empty memory store) restores it."""
    app_id = unique("faust-app")
    source = topics.create(PARTITIONS, prefix="faust-source")
    # Created up front with the source's partition count, as `castline topics ensure` does.
    changelog = topics.create(PARTITIONS, config={"cleanup.policy": "compact"},
                              name=changelog_name(app_id))

    updates = [(f"k{n % KEYS}", n) for n in range(UPDATES)]
    expected: dict[str, int] = {}
    for key, value in updates:
        expected[key] = expected.get(key, 0) + value

    with worker(bootstrap, source, app_id, tmp_path, "first") as first:
        assert first.wait_recovered()["table"] == {}
        produce_all(reliable, source, [(k.encode(), str(v).encode()) for k, v in updates])
        until(lambda: sum(end_offsets(bootstrap, changelog, PARTITIONS)),
              lambda n: n >= UPDATES, DEADLINE_S, "every update in the changelog", 0.05)
    assert first.process.returncode == 0, first.log_tail()

    # One changelog record per update (compaction may drop older ones, never the end offsets),
    # and the last value per key is the final state: the broker kept every write.
    assert sum(end_offsets(bootstrap, changelog, PARTITIONS)) == UPDATES
    logged = read_topic(bootstrap, changelog, PARTITIONS)
    last = {json.loads(m.key() or b"null"): json.loads(m.value() or b"null") for m in logged}
    assert last == expected

    with worker(bootstrap, source, app_id, tmp_path, "second") as second:
        recovered = second.wait_recovered()
    assert recovered["table"] == expected

