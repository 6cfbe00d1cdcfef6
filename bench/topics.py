"""Throwaway topics for benches, deleted afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4

from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]


@contextmanager
def scratch_topic(bootstrap: str, partitions: int) -> Iterator[str]:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    name = f"bench-{uuid4().hex[:12]}"
    for future in admin.create_topics([NewTopic(name, partitions, 1)]).values():
        future.result(30)
    try:
        yield name
    finally:
        for future in admin.delete_topics([name]).values():
            future.result(30)
