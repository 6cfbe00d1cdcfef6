"""`castline dead-letters list|retry` through the real path: records parked by the worker's
feeds listed; a parked record put back onto its topic as it was, and applied."""

from __future__ import annotations

import json
import subprocess
from random import randrange
from typing import Any
from uuid import uuid4

import psycopg
from confluent_kafka import Consumer, TopicPartition

from castline.processes import castline_command
from events.channels import CHANNELS_TOPIC, ChannelCreated
from events.codec import Codec
from events.dead_letters import dead_letter, headers_of
from events.errors import UnprocessableMessage
from events.positions import Position
from feeds.parking import KafkaDeadLetterSink
from tests.integration.parked import dead_letters, garbage, produce
from tests.running import RunningPlatform
from tests.waiting import until


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(castline_command("dead-letters", *args), capture_output=True,
                          text=True, timeout=120, check=False)


def listed(*args: str) -> list[dict[str, Any]]:
    done = run("list", "--json", *args)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_list_shows_what_feeds_parked(platform: RunningPlatform) -> None:
    bad = garbage()
    [position] = produce(platform.settings, CHANNELS_TOPIC, b"k", [bad])
    dead_letters(platform.settings, bad, "channels")
    [shown] = [p for p in listed("--topic", CHANNELS_TOPIC, "--reason", "bad_magic_byte",
                                 "--limit", "1000") if p["position"] == position.token]
    assert shown["reason"] == "bad_magic_byte"
    assert "magic byte" in shown["error"]
    # Every feed that reads the topic parks it; the listing shows whichever did first.
    assert shown["parked_by"] in ("channels", "analytics", "eventsub-webhooks")
    assert shown["parked_at"]
    assert listed("--topic", CHANNELS_TOPIC, "--reason", "no_such_reason") == []
    assert len(listed("--limit", "1")) == 1


def test_retry_puts_a_parked_record_back_as_it_was(platform: RunningPlatform) -> None:
    """A record parked by a fault since mended: retried, it is applied at a new offset."""
    settings = platform.settings
    channel = f"retried_{uuid4().hex[:10]}"
    value = Codec.from_settings(settings).encode(
        ChannelCreated(channel=channel, display_name=channel, title="t", category="c"))
    original = Position(CHANNELS_TOPIC, 0, 10**12 + randrange(10**9))  # never a real offset
    KafkaDeadLetterSink(settings.kafka).park([dead_letter(
        original.topic, original.partition, original.offset, value, channel.encode(),
        UnprocessableMessage("a fault since mended"), parked_by="channels",
        headers=[("trace", b"t1")])])
    done = run("retry", original.token)
    assert done.returncode == 0, done.stderr
    source, _, target = done.stdout.strip().partition(" -> ")
    assert source == original.token
    landed = Position.parse(target)
    assert (landed.topic, landed.partition) == (CHANNELS_TOPIC, 0)
    message = read_at(settings.kafka, landed)
    assert (message.key(), message.value(), headers_of(message)) == (
        channel.encode(), value, [("trace", b"t1")])
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        until(lambda: conn.execute("SELECT 1 FROM channels WHERE channel = %s",
                                   (channel,)).fetchone(), bool, 60, "the retried channel")


def test_retry_refuses_what_is_not_parked_or_not_a_position(platform: RunningPlatform) -> None:
    missing = run("retry", f"{CHANNELS_TOPIC}/0/{10**15}")
    assert missing.returncode == 1
    assert "no parked record at" in missing.stderr
    assert run("retry", "channels/zero/1").returncode == 2
    assert run("retry").returncode == 2
    assert run("list", "--limit", "0").returncode == 2


def read_at(bootstrap: str, position: Position) -> Any:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"read-{uuid4()}"})
    try:
        consumer.assign([TopicPartition(position.topic, position.partition, position.offset)])
        return until(lambda: consumer.poll(0.2), lambda m: m is not None, 30, position.token)
    finally:
        consumer.close()
