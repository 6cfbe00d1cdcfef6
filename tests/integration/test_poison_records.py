"""No record can stop a feed: a poison record put straight onto each feed's topic (bytes that
are no Avro message, and a valid message that a store refuses) is parked on the dead-letter
topic with its reason, the good record after it is applied, and the worker keeps running."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import uuid4

import httpx
import psycopg
import pytest
import redis
from clickhouse_driver import Client

from config.settings import Settings
from events.accounts import ACCOUNT_COMMANDS_TOPIC, RegisterUser
from events.channel_commands import CHANNEL_COMMANDS_TOPIC, CreateChannel
from events.channels import CHANNELS_TOPIC, ChannelCreated, ChannelInfoUpdated
from events.chat import CHAT_TOPIC, ChatMessagePosted
from events.codec import Codec
from events.views import VIEW_HEARTBEATS_TOPIC, ViewHeartbeat
from feeds import locations
from projections.chat_history import NAME as CHAT_HISTORY
from projections.chat_history import day_of
from projections.viewers import viewers_key
from stores.cassandra import session
from tests.integration.oauth_helpers import PASSWORD
from tests.integration.parked import dead_letters, garbage, produce
from tests.integration.test_channel_batches import Outcomes
from tests.running import RunningPlatform
from tests.waiting import until

CASSANDRA_MAX_KEY = 65535  # bytes of a partition key


@pytest.fixture
def codec(stack: Settings) -> Codec:
    return Codec.from_settings(stack)


@pytest.fixture
def outcomes(stack: Settings, codec: Codec) -> Iterator[Outcomes]:
    answers = Outcomes(stack, codec)
    yield answers
    answers.consumer.close()


def assert_running(platform: RunningPlatform) -> None:
    assert platform.worker is not None
    assert platform.worker.poll() is None, "the worker died"


def assert_parked(stack: Settings, value: bytes, feed: str | None, reason: str,
                  error: bytes = b"") -> None:
    [headers, *_] = dead_letters(stack, value, feed)
    assert headers["reason"] == reason.encode()
    assert error in (headers["error"] or b"")


def test_the_channel_decider_parks_poison_and_decides_the_next_command(
        platform: RunningPlatform, codec: Codec, outcomes: Outcomes) -> None:
    channel = f"poison_{uuid4().hex[:10]}"

    def create(title: str) -> CreateChannel:
        return CreateChannel(channel=channel, display_name=channel, title=title, category="c",
                             owner_id=str(uuid4()))

    bad, nul, good = garbage(), create("x\x00y"), create("fine")
    produce(platform.settings, CHANNEL_COMMANDS_TOPIC, channel.encode(),
            [bad, codec.encode(nul), codec.encode(good)])
    refused, created = outcomes.of([nul, good])
    assert (refused.accepted, refused.error, refused.error_field) == (False, "unprocessable",
                                                                      "title")
    assert created.accepted
    assert_parked(platform.settings, bad, "channel_decider", "bad_magic_byte")
    assert_parked(platform.settings, codec.encode(nul), "channel_decider", "unprocessable",
                  b"title")
    assert_running(platform)


def test_the_account_decider_parks_poison_and_decides_the_next_command(
        platform: RunningPlatform, api: httpx.Client, codec: Codec, outcomes: Outcomes) -> None:
    username = f"poison_{uuid4().hex[:10]}"
    nul = RegisterUser(user_id=str(uuid4()), username=username, display_name="a\x00b",
                       email=f"{username}@example.com", password_hash="x")
    bad = garbage()
    produce(platform.settings, ACCOUNT_COMMANDS_TOPIC, username.encode(),
            [bad, codec.encode(nul)])
    [refused] = outcomes.of([nul])
    assert (refused.accepted, refused.error) == (False, "unprocessable")
    # The next command on that partition: the same username, which the poison did not take.
    registered = api.post("/api/v1/users", json={
        "username": username, "email": f"{username}@example.com", "password": PASSWORD})
    assert registered.status_code == 201, registered.text
    assert_parked(platform.settings, bad, "account_decider", "bad_magic_byte")
    assert_parked(platform.settings, codec.encode(nul), "account_decider", "unprocessable",
                  b"display_name")
    assert_running(platform)


def test_a_postgresql_projection_parks_what_postgresql_refuses(
        platform: RunningPlatform, codec: Codec) -> None:
    channel = f"poison_{uuid4().hex[:10]}"
    # In the category: a title set again later in the same batch would fold it away.
    nul = codec.encode(ChannelInfoUpdated(channel=channel, category="x\x00y"))
    bad = garbage()
    positions = produce(platform.settings, CHANNELS_TOPIC, channel.encode(), [
        codec.encode(ChannelCreated(channel=channel, display_name=channel, title="first",
                                    category="c")),
        bad, nul, codec.encode(ChannelInfoUpdated(channel=channel, title="after"))])
    with psycopg.connect(platform.settings.postgres, autocommit=True) as conn:
        row = until(lambda: conn.execute(
            "SELECT title, version, category FROM channels WHERE channel = %s",
            (channel,)).fetchone(),
            lambda r: r is not None and r[0] == "after", 60, "the update after the poison")
        assert row == ("after", 2, "c")
        listed = conn.execute(
            'SELECT "offset", reason FROM projection_dead_letters WHERE projection = '
            "'channels' AND topic = %s AND partition = %s AND \"offset\" = ANY(%s) "
            'ORDER BY "offset"', (CHANNELS_TOPIC, positions[1].partition,
                                  [p.offset for p in positions])).fetchall()
    assert listed == [(positions[1].offset, "bad_magic_byte"),
                      (positions[2].offset, "unprocessable")]
    assert_parked(platform.settings, bad, "channels", "bad_magic_byte")
    # PostgreSQL's words (the batch is staged by binary COPY): invalid byte sequence ... 0x00
    assert_parked(platform.settings, nul, "channels", "unprocessable", b"0x00")
    assert_running(platform)


def test_chat_history_parks_what_cassandra_refuses(
        platform: RunningPlatform, codec: Codec) -> None:
    """Cassandra refuses a partition key longer than 64 KiB: a channel name that long."""
    channel = f"poison_{uuid4().hex[:10]}"

    def posted(in_channel: str, text: str) -> ChatMessagePosted:
        return ChatMessagePosted(channel=in_channel, message_id=str(uuid4()), user_id="u",
                                 username="u", display_name="U", text=text)

    long_key = codec.encode(posted("c" * (CASSANDRA_MAX_KEY + 1), "too long a key"))
    bad, good = garbage(), posted(channel, "after the poison")
    produce(platform.settings, CHAT_TOPIC, channel.encode(), [bad, long_key, codec.encode(good)])
    settings = platform.settings
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        keyspace = locations.location(conn, CHAT_HISTORY, settings.cassandra_keyspace).live
    store = session(settings, keyspace)
    try:
        texts = until(lambda: [row[0] for row in store.execute(
            "SELECT text FROM chat_messages WHERE channel = %s AND day = %s",
            (channel, day_of(good.occurred_at)))], bool, 60, "the message after the poison")
    finally:
        store.cluster.shutdown()
    assert texts == ["after the poison"]
    assert_parked(settings, bad, CHAT_HISTORY, "bad_magic_byte")
    assert_parked(settings, long_key, CHAT_HISTORY, "unprocessable", b"InvalidRequest")
    assert_running(platform)


def heartbeat(channel: str, at: datetime | None = None) -> ViewHeartbeat:
    beat = ViewHeartbeat(channel=channel, viewer_id=f"v_{uuid4().hex[:8]}",
                         player_session=uuid4().hex)
    return beat if at is None else ViewHeartbeat(
        channel=channel, viewer_id=beat.viewer_id, player_session=beat.player_session,
        occurred_at=at)


def test_the_analytics_sink_parks_what_clickhouse_refuses(
        platform: RunningPlatform, codec: Codec) -> None:
    """ClickHouse's DateTime holds no time before 1970: a heartbeat of 1960."""
    channel = f"poison_{uuid4().hex[:10]}"
    ancient = codec.encode(heartbeat(channel, datetime(1960, 1, 1, tzinfo=UTC)))
    bad, good = garbage(), heartbeat(channel)
    produce(platform.settings, VIEW_HEARTBEATS_TOPIC, channel.encode(),
            [bad, ancient, codec.encode(good)])
    client = Client.from_url(platform.settings.clickhouse)
    try:
        rows = until(lambda: client.execute(
            "SELECT viewer_id FROM raw_view_heartbeat WHERE channel = %(c)s", {"c": channel}),
            bool, 60, "the heartbeat after the poison")
    finally:
        client.disconnect()
    assert rows == [(good.viewer_id,)]
    assert_parked(platform.settings, bad, "analytics", "bad_magic_byte")
    assert_parked(platform.settings, ancient, "analytics", "unprocessable")
    assert_running(platform)


def test_the_viewer_counter_parks_what_its_stores_cannot_hold(
        platform: RunningPlatform, codec: Codec) -> None:
    """Redis itself refuses no heartbeat (keys and members are any bytes), but the counts are
    copied to PostgreSQL, which cannot hold a channel name with a NUL: such a heartbeat once
    failed every sweep, so the counter parks it. A channel named like the counter's own set of
    live channels is counted like any other."""
    channel = f"poison_{uuid4().hex[:10]}"
    nul = codec.encode(heartbeat(f"{channel}\x00"))
    bad, good, clashing = garbage(), heartbeat(channel), heartbeat("channels")
    produce(platform.settings, VIEW_HEARTBEATS_TOPIC, channel.encode(),
            [bad, nul, codec.encode(clashing), codec.encode(good)])
    client = redis.Redis.from_url(platform.settings.redis)
    try:
        until(lambda: (client.zscore(viewers_key(channel), good.viewer_id),
                       client.zscore(viewers_key("channels"), clashing.viewer_id)), all, 60,
              "the heartbeats after the poison")
    finally:
        client.close()
    assert_parked(platform.settings, bad, "viewers", "bad_magic_byte")
    assert_parked(platform.settings, nul, "viewers", "unprocessable", b"NUL")
    assert_running(platform)
