from __future__ import annotations

from events.catalog import KEEP_FOREVER, TOPICS
from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.channels import CHANNELS_TOPIC


def test_topic_names_are_unique() -> None:
    names = [t.name for t in TOPICS]
    assert len(names) == len(set(names))


def test_event_topics_keep_everything() -> None:
    by_name = {t.name: t for t in TOPICS}
    assert by_name[CHANNELS_TOPIC].retention_ms == KEEP_FOREVER
    assert by_name["dead-letters"].retention_ms == KEEP_FOREVER


def test_decider_changelog_is_copartitioned_with_its_commands() -> None:
    by_name = {t.name: t for t in TOPICS}
    changelog = by_name["castline-channel-state-changelog"]
    assert changelog.partitions == by_name[CHANNEL_COMMANDS_TOPIC].partitions
    assert changelog.cleanup_policy == "compact"
