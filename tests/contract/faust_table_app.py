"""A tiny Faust app for the table-recovery contract: sums values per key in a table.

Usage: python -m tests.contract.faust_table_app BOOTSTRAP SOURCE_TOPIC APP_ID PARTITIONS OUT
A message with key "__report__" makes it write the table as JSON to OUT.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import faust

from processors.app import faust_broker_url


def build(bootstrap: str, source: str, app_id: str, partitions: int, out: Path) -> faust.App:
    app = faust.App(
        app_id, broker=faust_broker_url(bootstrap), web_enabled=False, store="memory://",
        topic_partitions=partitions, topic_allow_declare=False, broker_session_timeout=6,
        consumer_auto_offset_reset="earliest",
    )
    topic = app.topic(source, key_type=str, key_serializer="raw", value_serializer="json")
    table = app.Table("totals", default=int, partitions=partitions,
                      schema=faust.Schema(key_serializer="json", value_serializer="json"))

    @app.agent(topic, concurrency=1)
    async def add(stream: faust.StreamT[int]) -> None:
        async for key, value in stream.items():
            if key == "__report__":
                out.write_text(json.dumps(dict(table.items())))  # noqa: ASYNC240 - tiny, once
            else:
                table[key] += value

    return app


def main() -> None:
    bootstrap, source, app_id, partitions, out = sys.argv[1:6]
    app = build(bootstrap, source, app_id, int(partitions), Path(out))
    faust.Worker(app, loglevel="info", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main()
