"""The analytics sink: events in over HTTP and WebSocket, rows in ClickHouse's raw tables."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest
from clickhouse_driver import Client
from clickhouse_driver.errors import ServerException

from analytics import versions
from analytics.sink import ClickHouseSink, read_checkpoints
from config.settings import Settings
from events.codec import Codec
from events.social import ChannelFollowed
from feeds.parking import KafkaDeadLetterSink
from feeds.records import LogRecord
from tests.integration.test_chat import join
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.test_chat_moderation import say
from tests.running import RunningPlatform
from tests.waiting import until


def clickhouse(settings: Settings, query: str, params: dict[str, Any]) -> list[Any]:
    client = Client.from_url(settings.clickhouse)
    try:
        rows: list[Any] = client.execute(query, params)
        return rows
    finally:
        client.disconnect()


def test_events_land_in_their_raw_tables_without_private_fields(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    owner, fan = owner_and_fan(api)
    with join(platform.base_url, owner.username, fan) as ws:
        say(ws, "hello analytics Kappa")
    followed = api.post(f"/api/v1/channels/{owner.username}/follow", headers=fan.auth)
    assert followed.status_code == 202, followed.text
    settings = platform.settings
    chat = until(lambda: clickhouse(
        settings, "SELECT username, text, badges, topic FROM raw_chat_message_posted "
        "WHERE channel = %(c)s", {"c": owner.username}), bool, 30, "the chat message row")
    assert chat == [(fan.username, "hello analytics Kappa", [], "chat")]
    follows = until(lambda: clickhouse(
        settings, "SELECT username FROM raw_channel_followed WHERE channel = %(c)s",
        {"c": owner.username}), bool, 30, "the follow row")
    assert follows == [(fan.username,)]
    columns = {name for name, *_ in clickhouse(settings, "DESCRIBE TABLE raw_user_registered",
                                               {})}
    assert {"user_id", "username", "display_name"} <= columns
    assert not columns & {"email", "password_hash"}


def test_rows_written_before_a_lost_checkpoint_are_not_written_again(stack: Settings) -> None:
    """A sink that crashed after writing rows but before its checkpoint finds those rows (by
    their event ids) and does not insert them again."""
    codec = Codec.from_settings(stack)
    topic = f"sink-test-{uuid4().hex[:8]}"
    events = [ChannelFollowed(channel="sinktest", user_id=f"u{n}", username=f"u{n}")
              for n in range(3)]
    records = [LogRecord(topic, 0, n, b"sinktest", codec.encode(e)) for n, e in enumerate(events)]
    database = f"castline_sink_test_{uuid4().hex[:8]}"
    clients: list[Client] = []
    def sink(name: str) -> ClickHouseSink:
        clients.append(versions.client_on(stack, database))
        return ClickHouseSink(clients[-1], codec.decode,
                              KafkaDeadLetterSink(stack.kafka), name)

    try:
        for name, batch, applied in (("first", records[:2], 2), ("first", records, 1),
                                     ("checkpoint-lost", records, 3)):
            feed = sink(name)
            assert feed.apply_batch(batch) == applied, name
            feed.flush()  # the second batch: the checkpoint covers two of its three
        rows = clients[0].execute(
            "SELECT log_offset, count() FROM raw_channel_followed GROUP BY log_offset "
            "ORDER BY log_offset")
    finally:
        clients[0].execute(f"DROP DATABASE {database}")
        for client in clients:
            client.disconnect()
    assert rows == [(0, 1), (1, 1), (2, 1)]


def test_a_refused_write_fails_the_flush_and_is_not_checkpointed(stack: Settings) -> None:
    """Batches are written behind: the one ClickHouse refuses is raised by the next flush (or
    batch), and its checkpoint is not written, so its records are read again after a restart."""
    codec = Codec.from_settings(stack)
    follow = ChannelFollowed(channel="sinktest", user_id="u1", username="u1")
    records = [LogRecord(f"sink-test-{uuid4().hex[:8]}", 0, 0, b"sinktest", codec.encode(follow))]
    database = f"castline_sink_test_{uuid4().hex[:8]}"
    client = versions.client_on(stack, database)
    try:
        feed = ClickHouseSink(client, codec.decode, KafkaDeadLetterSink(stack.kafka),
                              "refused")
        feed.checkpoints()
        client.execute("DROP TABLE raw_channel_followed")
        assert feed.apply_batch(records) == 1
        with pytest.raises(ServerException, match="raw_channel_followed"):
            feed.flush()
        assert read_checkpoints(client, "refused") == {}
        feed.flush()  # the failure was raised once
    finally:
        client.execute(f"DROP DATABASE {database}")
        client.disconnect()
