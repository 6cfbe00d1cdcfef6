"""A Faust table rebuilt from its changelog after a restart holds exactly the last state."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from pathlib import Path
from uuid import uuid4

from confluent_kafka import TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from castline.processes import spawn, stop
from tests.contract.kafka_helpers import consumer, produce_all
from tests.waiting import until

PARTITIONS = 4
UPDATES = 300


def worker_command(bootstrap: str, source: str, app_id: str, out: Path) -> list[str]:
    import sys

    return [sys.executable, "-m", "tests.contract.faust_table_app", bootstrap, source, app_id,
            str(PARTITIONS), str(out)]


def changelog_size(bootstrap: str, changelog: str) -> int:
    c = consumer(bootstrap)
    try:
        return sum(c.get_watermark_offsets(TopicPartition(changelog, p), timeout=10)[1]
                   for p in range(PARTITIONS))
    finally:
        c.close()


def report(bootstrap: str, source: str, out: Path) -> str:
    """Ask for the table (again: asking is idempotent) until the worker has written it."""
    if out.exists():
        return out.read_text()
    produce_all(bootstrap, source, [(b"__report__", b"0")])
    time.sleep(1)  # pacing the asks, not waiting for a result: the caller polls
    return out.read_text() if out.exists() else ""


def test_table_recovers_exactly_from_its_changelog(bootstrap: str, tmp_path: Path) -> None:
    suffix = uuid4().hex[:10]
    source, app_id = f"contract-src-{suffix}", f"contract-app-{suffix}"
    changelog = f"{app_id}-totals-changelog"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    topics = [NewTopic(source, PARTITIONS, 1),
              NewTopic(changelog, PARTITIONS, 1, config={"cleanup.policy": "compact"})]
    for future in admin.create_topics(topics).values():
        future.result(30)
    keys = [f"k{n % 17}" for n in range(UPDATES)]
    expected = Counter({key: 0 for key in keys})
    for n, key in enumerate(keys):
        expected[key] += n
    out = tmp_path / "table.json"
    command = worker_command(bootstrap, source, app_id, out)
    first = spawn(command, tmp_path / "first.log")
    try:
        produce_all(bootstrap, source, [(k.encode(), str(n).encode()) for n, k in enumerate(keys)])
        until(lambda: changelog_size(bootstrap, changelog), lambda n: n >= UPDATES, 60,
              "every update in the changelog")
    finally:
        stop(first, signal.SIGTERM)
    second = spawn(command, tmp_path / "second.log")
    try:
        table = until(lambda: report(bootstrap, source, out), bool, 90, "the report")
    finally:
        stop(second, signal.SIGTERM)
        for future in admin.delete_topics([source, changelog]).values():
            future.result(30)
    assert json.loads(table) == dict(expected)
