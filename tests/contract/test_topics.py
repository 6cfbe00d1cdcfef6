"""Topic administration as `castline topics ensure` does it."""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AdminClient,
    ConfigResource,
    NewTopic,
    ResourceType,
)

from events.catalog import TopicSpec, ensure_topics
from tests.contract.conftest import Topics
from tests.waiting import until

PARTITIONS = 6


def partition_count(admin: AdminClient, name: str) -> int:
    """Partitions with a leader, as metadata shows them (0 while the topic is unknown)."""
    meta = admin.list_topics(name, timeout=10).topics.get(name)
    if meta is None or meta.error is not None:
        return 0
    return sum(1 for p in meta.partitions.values() if p.error is None and p.leader >= 0)


def test_topics_are_created_with_partitions_and_config(bootstrap: str, topics: Topics) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    name = topics.name()
    # Like the catalog: the cluster's default replication (-1), kept forever, compacted.
    config = {"cleanup.policy": "compact", "retention.ms": "-1"}
    [created] = admin.create_topics([NewTopic(name, PARTITIONS, -1, config=config)]).values()
    created.result(30)

    until(lambda: partition_count(admin, name), lambda n: n == PARTITIONS, 20,
          f"{PARTITIONS} partitions with leaders in the metadata")
    resource = ConfigResource(ResourceType.TOPIC, name)
    described = admin.describe_configs([resource])[resource].result(30)
    assert {key: described[key].value for key in config} == config

    # Creating it again is refused with TOPIC_ALREADY_EXISTS ...
    [again] = admin.create_topics([NewTopic(name, PARTITIONS, -1, config=config)]).values()
    with pytest.raises(KafkaException) as refused:
        again.result(30)
    assert refused.value.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS
    # ... which the project's ensure treats as fine: nothing created, nothing raised.
    spec = TopicSpec(name, PARTITIONS, "contract key", cleanup_policy="compact")
    assert ensure_topics(bootstrap, (spec,)) == []
    assert partition_count(admin, name) == PARTITIONS
