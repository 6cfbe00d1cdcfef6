"""The viewer counter, on the real Redis, counts v1 and v2 heartbeats of a viewer as one."""

from __future__ import annotations

from uuid import uuid4

import psycopg
import redis

from config.settings import Settings
from events.codec import Codec
from events.views import ViewHeartbeat
from feeds.parking import KafkaDeadLetterSink
from feeds.records import LogRecord
from projections.viewers import CHECKPOINTS, LIVE_SET, ViewerCounter, viewers_key
from tests.unit.test_renamed_field import v1_bytes

TOPIC = "renamed-field-test"  # records handed in directly: no live checkpoint is touched


def test_the_viewer_counter_reads_v1_and_v2_heartbeats_alike(stack: Settings) -> None:
    codec = Codec.from_settings(stack)
    channel = f"rf{uuid4().hex[:10]}"
    v2 = codec.encode(ViewHeartbeat(channel=channel, viewer_id="u1", player_session="p" * 8,
                                    user_id="u1"))
    records = [LogRecord(TOPIC, 0, offset, channel.encode(), value)
               for offset, value in enumerate([v1_bytes("u1", "u1", channel), v2])]
    client = redis.Redis.from_url(stack.redis)
    with psycopg.connect(stack.postgres) as conn:
        counter = ViewerCounter(conn, client, codec.decode, KafkaDeadLetterSink(stack.kafka))
        try:
            assert counter.apply_batch(records) == 2
            assert client.zrange(viewers_key(channel), 0, -1) == [b"u1"]
        finally:
            client.delete(viewers_key(channel))
            client.srem(LIVE_SET, channel)
            client.hdel(CHECKPOINTS, f"{TOPIC}/0")
            client.close()
