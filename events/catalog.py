"""Every topic Castline uses: partitions, key and retention. Event topics keep everything."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from events.accounts import ACCOUNT_COMMANDS_TOPIC, EMAIL_CLAIMS_TOPIC, USERS_TOPIC
from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.channels import CHANNELS_TOPIC
from events.dead_letters import DEAD_LETTERS_TOPIC
from events.outcomes import OUTCOMES_TOPIC

log = logging.getLogger(__name__)

KEEP_FOREVER = -1
DAY_MS = 24 * 3600 * 1000
CHANNEL_PARTITIONS = 12
ACCOUNT_PARTITIONS = 12


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    key: str
    retention_ms: int = KEEP_FOREVER
    cleanup_policy: str = "delete"

    def config(self) -> dict[str, str]:
        return {"retention.ms": str(self.retention_ms), "cleanup.policy": self.cleanup_policy}


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(CHANNELS_TOPIC, CHANNEL_PARTITIONS, "channel name"),
    TopicSpec(CHANNEL_COMMANDS_TOPIC, CHANNEL_PARTITIONS, "channel name", 7 * DAY_MS),
    # The channel decider's Faust table: co-partitioned with the commands it is keyed by.
    TopicSpec("castline-channel-state-changelog", CHANNEL_PARTITIONS, "channel name",
              cleanup_policy="compact"),
    TopicSpec(USERS_TOPIC, ACCOUNT_PARTITIONS, "user id"),
    TopicSpec(ACCOUNT_COMMANDS_TOPIC, ACCOUNT_PARTITIONS, "username", 7 * DAY_MS),
    TopicSpec(EMAIL_CLAIMS_TOPIC, ACCOUNT_PARTITIONS, "email address", 7 * DAY_MS),
    TopicSpec("castline-username-claims-changelog", ACCOUNT_PARTITIONS, "username",
              cleanup_policy="compact"),
    TopicSpec("castline-email-claims-changelog", ACCOUNT_PARTITIONS, "email address",
              cleanup_policy="compact"),
    TopicSpec(OUTCOMES_TOPIC, CHANNEL_PARTITIONS, "command id", DAY_MS),
    TopicSpec(DEAD_LETTERS_TOPIC, 3, "original topic/partition/offset"),
)


class TopicMismatch(Exception):
    pass


def ensure_topics(
    bootstrap: str, topics: tuple[TopicSpec, ...] = TOPICS, replication: int = -1
) -> list[str]:
    """Create missing topics (idempotent); refuse an existing topic with too few partitions.

    replication -1 takes the cluster's default replication factor.
    """
    admin = AdminClient({"bootstrap.servers": bootstrap})
    existing = admin.list_topics(timeout=15).topics
    for spec in topics:
        if spec.name in existing and len(existing[spec.name].partitions) < spec.partitions:
            raise TopicMismatch(
                f"topic {spec.name} has {len(existing[spec.name].partitions)} partitions, "
                f"the catalog needs {spec.partitions}"
            )
    missing = [s for s in topics if s.name not in existing]
    if not missing:
        return []
    new = [NewTopic(s.name, s.partitions, replication, config=s.config()) for s in missing]
    created = []
    for name, future in admin.create_topics(new, request_timeout=30).items():
        try:
            future.result(30)
        except KafkaException as error:
            if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
            continue
        created.append(name)
        log.info("created topic %s", name)
    return created
