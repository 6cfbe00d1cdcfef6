"""`castline replay chat_history`: Cassandra history rebuilt in a new keyspace, reads switched."""

from __future__ import annotations

import re

import httpx
import psycopg

from feeds import locations
from projections.chat_history import NAME
from stores.cassandra import session as cassandra_session
from tests.integration.test_chat import join
from tests.integration.test_chat_history import history, owner_and_fan, texts
from tests.integration.test_chat_moderation import say
from tests.integration.test_replay import run_replay
from tests.running import RunningPlatform
from tests.waiting import until


def live_location(platform: RunningPlatform) -> locations.Location:
    with psycopg.connect(platform.settings.postgres) as conn:
        return locations.location(conn, NAME, platform.settings.cassandra_keyspace)


def keyspaces(platform: RunningPlatform) -> set[str]:
    session = cassandra_session(platform.settings)
    try:
        return set(session.cluster.metadata.keyspaces)
    finally:
        session.cluster.shutdown()


def test_chat_history_is_replayed_resumed_verified_and_switched(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    owner, fan = owner_and_fan(api)
    channel = owner.username
    with join(platform.base_url, channel, fan) as ws:
        ids = [say(ws, f"before {n}")["id"] for n in range(3)]
    api.delete(f"/api/v1/channels/{channel}/chat/messages/{ids[0]}", headers=owner.auth)
    until(lambda: texts(api, channel), lambda t: t == ["before 2", "before 1"], 30,
          "the history")
    before, old = history(api, channel), live_location(platform)

    first = run_replay(NAME, "--batch-size", "1", "--stop-after", "1")
    assert "stopped after 1 events; run again to resume" in first.stdout, first.stderr
    second = run_replay(NAME)
    assert second.returncode == 0, second.stderr
    assert "resuming a replay of chat_history" in second.stdout
    for table in ("chat_messages", "chat_deleted", "chat_purges"):
        assert re.search(rf"^{table}: live (\d+) rows \w+, replayed \1 rows .*: same$",
                         second.stdout, re.MULTILINE), second.stdout
    now = live_location(platform)
    assert (now.version, now.retired) == (old.version + 1, old.live)
    assert history(api, channel) == before

    with join(platform.base_url, channel, fan) as ws:
        say(ws, "after the switch")
    until(lambda: texts(api, channel), lambda t: t[:1] == ["after the switch"], 30,
          "the live projector to write into the new keyspace")
    dropped = run_replay(NAME, "--drop-retired")
    assert dropped.stdout.strip() == f"dropped the retired version of {NAME}"
    assert old.live not in keyspaces(platform)
    assert live_location(platform).retired is None
