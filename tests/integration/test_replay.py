"""`castline replay` through the real path: rebuild from the log, verify, switch, resume."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import psycopg
import pytest
from confluent_kafka import Consumer, Message, Producer, TopicPartition

from castline.processes import castline_command
from config.settings import Settings
from events.social import FOLLOWS_TOPIC
from feeds import checkpoints
from projections import replay
from projections.registry import PROJECTIONS
from projections.runner import Projection
from tests.integration.oauth_helpers import signed_in
from tests.running import RunningPlatform
from tests.waiting import until

BY_NAME = {p.name: p for p in PROJECTIONS}


def run_replay(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(castline_command("replay", *args), capture_output=True, text=True,
                          timeout=300, check=False)


def behind(settings: Settings, projection: Projection) -> int:
    """How many events of its topics the live projection has not applied yet."""
    consumer = Consumer({"bootstrap.servers": settings.kafka, "group.id": "replay-test"})
    with psycopg.connect(settings.postgres) as conn:
        reached = checkpoints.load(conn, projection.name)
    try:
        gap = 0
        for topic in projection.topics:
            for partition in consumer.list_topics(topic, timeout=10).topics[topic].partitions:
                _, end = consumer.get_watermark_offsets(TopicPartition(topic, partition), 10)
                gap += max(0, end - 1 - reached.get((topic, partition), -1))
        return gap
    finally:
        consumer.close()


def caught_up(settings: Settings, projection: Projection) -> None:
    until(lambda: behind(settings, projection), lambda n: n == 0, 30,
          f"the live {projection.name} projection to catch up")


def read_model(settings: Settings, projection: Projection) -> dict[str, list[str]]:
    """Every row of the projection's live tables as PostgreSQL prints it, in order; without
    columns copied in from elsewhere (channels.viewer_count is the viewer counter's)."""
    model = {}
    with psycopg.connect(settings.postgres) as conn:
        for table in projection.tables:
            columns = [c for (c,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "'public' AND table_name = %s ORDER BY ordinal_position", (table,)).fetchall()
                if f"{table}.{c}" not in projection.derived_columns]
            query = f"SELECT ROW({', '.join(columns)})::text AS r FROM {table} ORDER BY r"
            model[table] = [r for (r,) in conn.execute(query).fetchall()]
    return model


def schemas(settings: Settings) -> set[str]:
    with psycopg.connect(settings.postgres) as conn:
        rows = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 're%%_%%'")
        return {name for (name,) in rows.fetchall()}


@pytest.fixture
def quiet(api: httpx.Client, platform: RunningPlatform) -> Iterator[Settings]:
    """Some events on every topic, every live projection caught up; replays cleaned up."""
    follower, streamer = signed_in(api, "rp"), signed_in(api, "rp")
    until(lambda: api.get(f"/api/v1/channels/{streamer.username}").status_code,
          lambda status: status == 200, 20, "the streamer's channel")
    followed = api.post(f"/api/v1/channels/{streamer.username}/follow", headers=follower.auth)
    assert followed.status_code == 202, followed.text
    for projection in PROJECTIONS:
        caught_up(platform.settings, projection)
    yield platform.settings
    for projection in PROJECTIONS:
        # In this process: the command itself is tested where a test drops what it retired.
        replay.drop_retired(platform.settings, projection)
    with psycopg.connect(platform.settings.postgres, autocommit=True) as conn:
        for projection in PROJECTIONS:
            conn.execute(f"DROP SCHEMA IF EXISTS replay_{projection.name} CASCADE")
            conn.execute("DELETE FROM projection_checkpoints WHERE projection = %s",
                         (f"{projection.name}@replay",))


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_a_replay_rebuilds_the_read_model_byte_for_byte_and_switches(
    quiet: Settings, name: str,
) -> None:
    projection = BY_NAME[name]
    before = read_model(quiet, projection)
    result = run_replay(name)
    assert result.returncode == 0, result.stdout + result.stderr
    for table in projection.tables:
        assert re.search(rf"^{table}: live (\d+) rows \w+, replayed \1 rows .*: same$",
                         result.stdout, re.MULTILINE), result.stdout
    assert "switched: reads use the replayed" in result.stdout
    assert read_model(quiet, projection) == before
    assert f"retired_{name}" in schemas(quiet)
    assert f"replay_{name}" not in schemas(quiet)
    dropped = run_replay(name, "--drop-retired")
    assert (dropped.returncode, dropped.stdout.strip()) == (
        0, f"dropped the retired version of {name}")
    assert f"retired_{name}" not in schemas(quiet)


def test_the_live_projector_writes_into_the_switched_tables(
    quiet: Settings, api: httpx.Client,
) -> None:
    assert run_replay("users").returncode == 0
    account = signed_in(api, "after")  # waits for the users read model to show the new user
    me = api.get("/api/v1/users/me", headers=account.auth)
    assert me.status_code == 200
    assert me.json()["data"]["username"] == account.username


def test_an_interrupted_replay_resumes_where_it_stopped(quiet: Settings) -> None:
    first = run_replay("users", "--batch-size", "1", "--stop-after", "2")
    assert first.returncode == 0, first.stderr
    total = int(re.findall(r"starting a replay of users: (\d+) events", first.stdout)[0])
    assert total > 2
    assert "stopped after 2 events; run again to resume" in first.stdout
    assert "replay_users" in schemas(quiet)
    second = run_replay("users")
    assert second.returncode == 0, second.stderr
    assert f"resuming a replay of users: {total - 2} events to apply" in second.stdout
    assert "switched" in second.stdout


def test_a_damaged_read_model_is_found_and_repaired_on_request(quiet: Settings) -> None:
    with psycopg.connect(quiet.postgres, autocommit=True) as conn:
        user = conn.execute("SELECT username FROM users ORDER BY username LIMIT 1").fetchone()
        assert user is not None
        conn.execute("UPDATE users SET display_name = 'damaged' WHERE username = %s", user)
    refused = run_replay("users")
    assert refused.returncode == 1
    assert re.search(r"^users: .*: DIFFERENT$", refused.stdout, re.MULTILINE), refused.stdout
    assert "the versions differ; nothing switched" in refused.stderr
    assert "replay_users" in schemas(quiet)
    assert "retired_users" not in schemas(quiet)
    repaired = run_replay("users", "--accept-difference")
    assert repaired.returncode == 0, repaired.stderr
    with psycopg.connect(quiet.postgres) as conn:
        assert conn.execute("SELECT display_name FROM users WHERE username = %s",
                            user).fetchone() != ("damaged",)


def test_a_replay_from_a_time_holds_only_the_later_events(
    quiet: Settings, api: httpx.Client,
) -> None:
    since = datetime.now(UTC)
    later = signed_in(api, "late")
    caught_up(quiet, BY_NAME["users"])
    result = run_replay("users", "--from", since.strftime("%Y-%m-%dT%H:%M:%S.%f"), "--no-switch")
    assert result.returncode == 1
    assert re.search(r"^users: live \d+ rows \w+, replayed 1 rows \w+: DIFFERENT$",
                     result.stdout, re.MULTILINE), result.stdout
    with psycopg.connect(quiet.postgres) as conn:
        rows = conn.execute("SELECT username FROM replay_users.users").fetchall()
    assert rows == [(later.username,)]


def test_a_corrupt_message_is_parked_by_the_replay_not_skipped(quiet: Settings) -> None:
    producer = Producer({"bootstrap.servers": quiet.kafka})
    landed: list[Message] = []
    producer.produce(FOLLOWS_TOPIC, key=b"corrupt", value=b"not avro",
                     on_delivery=lambda _error, message: landed.append(message))
    assert producer.flush(10) == 0
    partition, offset = landed[0].partition(), landed[0].offset()
    caught_up(quiet, BY_NAME["follows"])
    result = run_replay("follows")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (f"parked the message at {FOLLOWS_TOPIC}/{partition}/{offset} (bad_magic_byte, "
            "feed follows@replay)") in result.stderr
    with psycopg.connect(quiet.postgres) as conn:
        parked = conn.execute(
            'SELECT reason FROM projection_dead_letters WHERE projection = %s AND topic = %s '
            'AND partition = %s AND "offset" = %s',
            ("follows@replay", FOLLOWS_TOPIC, partition, offset)).fetchall()
    assert parked == [("bad_magic_byte",)]


def test_bad_replay_requests_are_clear_errors(quiet: Settings) -> None:
    unknown = run_replay("nope")
    assert unknown.returncode == 2
    choices = "'analytics', 'channels', 'chat_history', 'follows', 'ledger', 'users'"
    assert f"'nope' is not one of {choices}" in unknown.stderr
    assert run_replay("follows").returncode == 0
    kept = run_replay("follows")
    assert kept.returncode == 1
    assert "a retired version of follows is still kept; drop it first" in kept.stderr
    assert "Traceback" not in kept.stderr
