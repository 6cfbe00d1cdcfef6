"""Every topic Castline uses: partitions, key and retention. Event topics keep everything."""

from __future__ import annotations

import logging
from concurrent.futures import Future
from dataclasses import dataclass

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from events.accounts import ACCOUNT_COMMANDS_TOPIC, EMAIL_CLAIMS_TOPIC, USERS_TOPIC
from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.channels import CHANNELS_TOPIC
from events.chat import CHAT_TOPIC
from events.dead_letters import DEAD_LETTERS_TOPIC
from events.monetization import MONETIZATION_TOPIC, WALLET_COMMANDS_TOPIC
from events.outcomes import OUTCOMES_TOPIC
from events.social import FOLLOWS_TOPIC
from events.subscriptions import SUBSCRIPTION_COMMANDS_TOPIC
from events.views import VIEW_HEARTBEATS_TOPIC

log = logging.getLogger(__name__)

KEEP_FOREVER = -1
DAY_MS = 24 * 3600 * 1000
CHANNEL_PARTITIONS = 12
ACCOUNT_PARTITIONS = 12
DEAD_LETTER_PARTITIONS = 3
TIMEOUT_S = 30.0

WALLET_PARTITIONS = 12


@dataclass(frozen=True)
class TopicSpec:
    """A topic: `key` describes what its records are keyed by; retention -1 keeps everything."""

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
    TopicSpec(USERS_TOPIC, ACCOUNT_PARTITIONS, "user id"),
    TopicSpec(ACCOUNT_COMMANDS_TOPIC, ACCOUNT_PARTITIONS, "username", 7 * DAY_MS),
    TopicSpec(EMAIL_CLAIMS_TOPIC, ACCOUNT_PARTITIONS, "email address", 7 * DAY_MS),
    TopicSpec(FOLLOWS_TOPIC, CHANNEL_PARTITIONS, "channel name"),
    TopicSpec(CHAT_TOPIC, CHANNEL_PARTITIONS, "channel name"),
    TopicSpec(VIEW_HEARTBEATS_TOPIC, CHANNEL_PARTITIONS, "channel name"),
    TopicSpec(WALLET_COMMANDS_TOPIC, WALLET_PARTITIONS, "user id", 7 * DAY_MS),
    TopicSpec(MONETIZATION_TOPIC, WALLET_PARTITIONS,
              "paying user id (subscription events: channel name)"),
    TopicSpec(SUBSCRIPTION_COMMANDS_TOPIC, CHANNEL_PARTITIONS, "channel name", 7 * DAY_MS),
    TopicSpec(OUTCOMES_TOPIC, CHANNEL_PARTITIONS, "command id", DAY_MS),
    TopicSpec(DEAD_LETTERS_TOPIC, DEAD_LETTER_PARTITIONS, "original topic/partition/offset"),
)


class TopicMismatch(Exception):
    """Existing topics have fewer partitions than the catalog needs: (name, has, needs)."""

    def __init__(self, shortfalls: list[tuple[str, int, int]]) -> None:
        self.shortfalls = shortfalls
        super().__init__("; ".join(
            f"topic {name} has {has} partitions, the catalog needs {needs}"
            for name, has, needs in shortfalls
        ) + " (add partitions with kafka-topics --alter; keys then move to other partitions)")


def ensure_topics(
    bootstrap: str, topics: tuple[TopicSpec, ...] = TOPICS, replication: int = -1
) -> list[str]:
    """Create missing topics (idempotent) and return their names; existing ones are left alone.

    Raises TopicMismatch, before creating anything, when an existing topic has fewer partitions
    than its spec. replication -1 takes the cluster's default replication factor.
    """
    admin = AdminClient({"bootstrap.servers": bootstrap})
    existing = {
        name: len(meta.partitions)
        for name, meta in admin.list_topics(timeout=TIMEOUT_S).topics.items()
    }
    shortfalls = [(s.name, existing[s.name], s.partitions) for s in topics
                  if s.name in existing and existing[s.name] < s.partitions]
    if shortfalls:
        raise TopicMismatch(shortfalls)
    missing = [s for s in topics if s.name not in existing]
    if not missing:
        return []
    new = [NewTopic(s.name, s.partitions, replication, config=s.config()) for s in missing]
    futures = admin.create_topics(new, request_timeout=TIMEOUT_S)
    return [name for name, future in futures.items() if _created(name, future)]


def _created(name: str, future: Future[None]) -> bool:
    """Wait for one creation; False when someone else created the topic meanwhile."""
    try:
        future.result(TIMEOUT_S)
    except KafkaException as error:
        if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
            raise
        return False
    log.info("created topic %s", name)
    return True
