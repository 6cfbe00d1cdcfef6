"""`castline replay analytics`: ClickHouse rebuilt in the next database, views re-pointed."""

from __future__ import annotations

import re

import httpx
import psycopg
from clickhouse_driver import Client

from analytics import versions
from analytics.raw_tables import families_tables
from feeds import locations
from tests.integration.oauth_helpers import signed_in
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.test_replay import run_replay
from tests.running import RunningPlatform
from tests.waiting import until


def live_location(platform: RunningPlatform) -> locations.Location:
    with psycopg.connect(platform.settings.postgres) as conn:
        return versions.live_location(conn, platform.settings)


def followers(platform: RunningPlatform, channel: str) -> list[str]:
    """Through the analysts' views in the configured database: the raw rows, and the rollup
    the materialized views fill from them."""
    client = Client.from_url(platform.settings.clickhouse)
    try:
        rows = client.execute("SELECT username FROM raw_channel_followed "
                              "WHERE channel = %(c)s ORDER BY username", {"c": channel})
        rolled_up = client.execute("SELECT sum(follows) FROM follows_per_day "
                                   "WHERE channel = %(c)s", {"c": channel})
    finally:
        client.disconnect()
    # The raw rows and the rollup are committed as separate parts: until both show the same
    # follows, this reads as nothing yet.
    return [username for (username,) in rows] if rolled_up[0][0] == len(rows) else []


def follow(api: httpx.Client, channel: str, token: dict[str, str]) -> None:
    response = api.post(f"/api/v1/channels/{channel}/follow", headers=token)
    assert response.status_code == 202, response.text


def test_analytics_is_replayed_verified_switched_and_the_sink_follows(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    owner, fan = owner_and_fan(api)
    follow(api, owner.username, fan.auth)
    until(lambda: followers(platform, owner.username), lambda f: f == [fan.username], 30,
          "the follow in ClickHouse")
    old = live_location(platform)

    result = run_replay("analytics")
    assert result.returncode == 0, result.stdout + result.stderr
    same = re.findall(r"^raw_\w+: live (\d+) rows \w+, replayed \1 rows \w+: same$",
                      result.stdout, re.MULTILINE)
    assert len(same) == len(families_tables()), result.stdout
    now = live_location(platform)
    assert (now.live, now.version, now.retired) == (
        versions.version_database(platform.settings, old.version + 1), old.version + 1, old.live)
    assert followers(platform, owner.username) == [fan.username]

    late = signed_in(api, "late")
    follow(api, owner.username, late.auth)
    until(lambda: followers(platform, owner.username),
          lambda f: f == sorted([fan.username, late.username]), 30,
          "the live sink to write into the new database")
    dropped = run_replay("analytics", "--drop-retired")
    assert dropped.stdout.strip() == "dropped the retired version of analytics"
    client = Client.from_url(platform.settings.clickhouse)
    try:
        assert not client.execute("SELECT name FROM system.databases WHERE name = %(n)s",
                                  {"n": old.live})
    finally:
        client.disconnect()
