"""A tiny Faust worker for the table-recovery contract: a table of running sums per key.

    python -m tests.contract.faust_table_app BOOTSTRAP SOURCE APP_ID PARTITIONS DATADIR REPORT

Configured like processors.app (no web server, memory store, topics created up front, so the
changelog "{APP_ID}-totals-changelog" must exist with PARTITIONS partitions). Whenever the
table's recovery completes, before the streams resume, it writes REPORT (atomically) as JSON:
{"partitions": [source partitions it holds], "table": {key: sum}} -- so a report shows exactly
what the changelog alone restored.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import faust

TABLE = "totals"


def faust_broker_url(bootstrap: str) -> str:
    return ";".join(f"kafka://{host}" for host in bootstrap.split(","))


def changelog_name(app_id: str) -> str:
    return f"{app_id}-{TABLE}-changelog"


def build(
    bootstrap: str, source: str, app_id: str, partitions: int, datadir: Path, report: Path
) -> faust.App:
    app = faust.App(
        app_id,
        broker=faust_broker_url(bootstrap),
        web_enabled=False,
        store="memory://",
        datadir=str(datadir),
        topic_partitions=partitions,
        topic_allow_declare=False,
        broker_session_timeout=6,
        broker_heartbeat_interval=1,
        broker_commit_interval=0.5,
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
    )
    topic = app.topic(source, key_type=str, key_serializer="raw", value_serializer="json")
    table = app.Table(TABLE, default=int, partitions=partitions, key_type=str, value_type=int,
                      schema=faust.Schema(key_serializer="json", value_serializer="json"))

    async def add(stream: faust.StreamT[int]) -> None:
        async for key, value in stream.items():
            table[key] += value

    async def write_report() -> None:
        held = sorted(tp.partition for tp in app.assignor.assigned_actives()
                      if tp.topic == source)
        payload = json.dumps({"partitions": held, "table": dict(table.items())})
        await asyncio.to_thread(_replace, report, payload)

    app.agent(topic, name=f"{app_id}-add", concurrency=1)(add)
    table.on_recover(write_report)
    return app


def _replace(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    partial.replace(path)


def main() -> None:
    bootstrap, source, app_id, partitions, datadir, report = sys.argv[1:7]
    app = build(bootstrap, source, app_id, int(partitions), Path(datadir), Path(report))
    faust.Worker(app, loglevel="info", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main()
