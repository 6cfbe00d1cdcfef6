"""The broker contract: whatever CASTLINE_KAFKA_BOOTSTRAP names must pass these."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from uuid import uuid4

import pytest
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from castline.settings import Settings


@pytest.fixture(scope="session")
def bootstrap(stack: Settings) -> str:
    return stack.kafka


@pytest.fixture
def new_topic(bootstrap: str) -> Iterator[Callable[[int], str]]:
    """Create uniquely named topics; delete them after the test."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    created: list[str] = []

    def create(partitions: int) -> str:
        name = f"contract-{uuid4().hex[:12]}"
        for future in admin.create_topics([NewTopic(name, partitions, 1)]).values():
            future.result(30)
        created.append(name)
        return name

    yield create
    if created:
        for future in admin.delete_topics(created).values():
            future.result(30)
