"""The broker contract: whatever Kafka address the settings name must pass these.

Every test makes its own uniquely named topics and groups, so reruns against the same broker
(or a shared cluster) do not see each other's records; topics are deleted afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from confluent_kafka import KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from config.settings import Settings
from tests.contract.kafka_helpers import producer, unique


@pytest.fixture(scope="session")
def bootstrap(stack: Settings) -> str:
    """The broker under contract: the stack's (started locally unless an address is given)."""
    return stack.kafka


@pytest.fixture(scope="session")
def reliable(bootstrap: str) -> Iterator[Producer]:
    """One producer configured like the project's, shared: an idempotent producer spends
    0.5-1 s getting its producer id before the first send, whatever the broker."""
    p = producer(bootstrap)
    yield p
    p.flush(10)


class Topics:
    """Creates topics for one test and deletes them (and any it was told about) afterwards."""

    def __init__(self, bootstrap: str) -> None:
        self.admin = AdminClient({"bootstrap.servers": bootstrap})
        self.owned: list[str] = []

    def name(self, prefix: str = "topic") -> str:
        """A fresh name this test owns, for topics something else creates."""
        name = unique(prefix)
        self.owned.append(name)
        return name

    def create(
        self, partitions: int, prefix: str = "topic", config: dict[str, str] | None = None,
        name: str | None = None,
    ) -> str:
        """A new topic named from `prefix` (or exactly `name`), deleted after the test."""
        if name is None:
            name = self.name(prefix)
        else:
            self.owned.append(name)
        new = NewTopic(name, partitions, 1, config=config or {})
        for future in self.admin.create_topics([new], request_timeout=20).values():
            future.result(30)
        return name

    def delete_all(self) -> None:
        existing = set(self.admin.list_topics(timeout=10).topics)
        doomed = [name for name in self.owned if name in existing]
        if not doomed:
            return
        for future in self.admin.delete_topics(doomed, request_timeout=20).values():
            try:
                future.result(30)
            except KafkaException as error:
                if error.args[0].code() != KafkaError.UNKNOWN_TOPIC_OR_PART:
                    raise


@pytest.fixture
def topics(bootstrap: str) -> Iterator[Topics]:
    made = Topics(bootstrap)
    yield made
    made.delete_all()
