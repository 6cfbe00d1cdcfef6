"""The topic catalog, and ensure_topics against an AdminClient stand-in (no broker)."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException

from events import catalog
from events.catalog import (
    DAY_MS,
    KEEP_FOREVER,
    TOPICS,
    TopicMismatch,
    TopicSpec,
    ensure_topics,
)
from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.channels import CHANNELS_TOPIC
from events.dead_letters import DEAD_LETTERS_TOPIC
from events.outcomes import OUTCOMES_TOPIC
from events.types import ALL_MESSAGES

BY_NAME = {t.name: t for t in TOPICS}


def test_topic_names_are_unique() -> None:
    assert len(BY_NAME) == len(TOPICS)


def test_every_message_type_has_its_topic() -> None:
    assert {cls.topic for cls in ALL_MESSAGES} <= set(BY_NAME)


def test_the_specified_topics() -> None:
    expected = {
        CHANNELS_TOPIC: (12, KEEP_FOREVER, "delete"),
        CHANNEL_COMMANDS_TOPIC: (12, 7 * DAY_MS, "delete"),
        OUTCOMES_TOPIC: (12, DAY_MS, "delete"),
        DEAD_LETTERS_TOPIC: (3, KEEP_FOREVER, "delete"),
    }
    for name, shape in expected.items():
        spec = BY_NAME[name]
        assert (spec.partitions, spec.retention_ms, spec.cleanup_policy) == shape, name
    assert BY_NAME[DEAD_LETTERS_TOPIC].key == "original topic/partition/offset"


def test_every_spec_is_sane() -> None:
    for spec in TOPICS:
        assert spec.partitions > 0, spec.name
        assert spec.key, spec.name
        assert spec.retention_ms == KEEP_FOREVER or spec.retention_ms > 0, spec.name
        assert spec.cleanup_policy in ("delete", "compact"), spec.name
        assert spec.config() == {"retention.ms": str(spec.retention_ms),
                                 "cleanup.policy": spec.cleanup_policy}


@dataclass
class FakeTopic:
    partitions: dict[int, object]


@dataclass
class FakeAdmin:
    """Holds topics by partition count; `racing` topics appear just before creation."""

    topics: dict[str, int] = field(default_factory=dict)
    racing: set[str] = field(default_factory=set)
    requests: list[Any] = field(default_factory=list)

    def list_topics(self, timeout: float) -> Any:
        metadata = {n: FakeTopic(dict.fromkeys(range(p))) for n, p in self.topics.items()}
        return type("Metadata", (), {"topics": metadata})

    def create_topics(self, new: list[Any], request_timeout: float) -> dict[str, Future[None]]:
        self.requests.extend(new)
        futures: dict[str, Future[None]] = {}
        for topic in new:
            future: Future[None] = Future()
            futures[topic.topic] = future
            if topic.topic in self.racing:
                error = KafkaError(KafkaError.TOPIC_ALREADY_EXISTS)
                future.set_exception(KafkaException(error))
            else:
                future.set_result(None)
            self.topics[topic.topic] = topic.num_partitions
        return futures


@pytest.fixture
def admin(monkeypatch: pytest.MonkeyPatch) -> FakeAdmin:
    fake = FakeAdmin()
    monkeypatch.setattr(catalog, "AdminClient", lambda config: fake)
    return fake


def test_missing_topics_are_created_with_their_specs(admin: FakeAdmin) -> None:
    admin.topics = {CHANNELS_TOPIC: 12}
    created = ensure_topics("broker:9092")
    assert created == [t.name for t in TOPICS if t.name != CHANNELS_TOPIC]
    for request in admin.requests:
        spec = BY_NAME[request.topic]
        assert (request.num_partitions, request.config) == (spec.partitions, spec.config())


def test_ensuring_twice_creates_nothing_the_second_time(admin: FakeAdmin) -> None:
    assert ensure_topics("broker:9092") == [t.name for t in TOPICS]
    assert ensure_topics("broker:9092") == []
    assert len(admin.requests) == len(TOPICS)


def test_a_topic_created_meanwhile_is_not_reported_as_created(admin: FakeAdmin) -> None:
    admin.racing = {DEAD_LETTERS_TOPIC}
    assert DEAD_LETTERS_TOPIC not in ensure_topics("broker:9092")


def test_other_creation_failures_raise(admin: FakeAdmin) -> None:
    spec = TopicSpec("broken", 1, "k")
    admin.create_topics = lambda new, request_timeout: {  # type: ignore[method-assign]
        "broken": failed(KafkaError.POLICY_VIOLATION)
    }
    with pytest.raises(KafkaException):
        ensure_topics("broker:9092", (spec,))


def failed(code: int) -> Future[None]:
    future: Future[None] = Future()
    future.set_exception(KafkaException(KafkaError(code)))
    return future


def test_too_few_partitions_is_a_typed_error_and_nothing_is_created(admin: FakeAdmin) -> None:
    admin.topics = {CHANNEL_COMMANDS_TOPIC: 6, DEAD_LETTERS_TOPIC: 3, CHANNELS_TOPIC: 1}
    with pytest.raises(TopicMismatch, match="topic channel-commands has 6 partitions, the "
                                            "catalog needs 12") as caught:
        ensure_topics("broker:9092")
    assert caught.value.shortfalls == [(CHANNELS_TOPIC, 1, 12), (CHANNEL_COMMANDS_TOPIC, 6, 12)]
    assert admin.requests == []


def test_more_partitions_than_the_spec_are_left_alone(admin: FakeAdmin) -> None:
    admin.topics = {t.name: t.partitions * 2 for t in TOPICS}
    assert ensure_topics("broker:9092") == []
