"""Chat history through the real path: WebSocket in, Cassandra projection, HTTP out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import psycopg

from feeds import locations
from projections.chat_history import NAME, day_of
from projections.chat_history_reads import Cursor, last_messages
from stores.cassandra import session
from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.test_chat import frames, join
from tests.integration.test_chat_moderation import say
from tests.running import RunningPlatform
from tests.waiting import until


def history(api: httpx.Client, channel: str, **params: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/channels/{channel}/chat/messages", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def texts(api: httpx.Client, channel: str) -> list[str]:
    return [m["text"] for m in history(api, channel)["data"]]


def owner_and_fan(api: httpx.Client) -> tuple[Account, Account]:
    """Two signed-in users, the first with its channel in the read model."""
    owner, fan = signed_in(api, "own"), signed_in(api, "fan")
    until(lambda: api.get(f"/api/v1/channels/{owner.username}").status_code,
          lambda status: status == 200, 20, "the channel")
    return owner, fan


def test_history_pages_backwards_hides_and_survives_a_projector_restart(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    owner, fan = owner_and_fan(api)
    channel = owner.username
    with join(platform.base_url, channel, fan) as ws, join(platform.base_url, channel,
                                                           owner) as host:
        ids = [say(ws, f"line {n}")["id"] for n in range(5)]
        assert say(host, "from the host")["type"] == "ack"
    newest_first = ["from the host"] + [f"line {n}" for n in reversed(range(5))]
    until(lambda: texts(api, channel), lambda t: t == newest_first, 30, "the history")
    pages, cursor = [], None
    while True:
        page = history(api, channel, first="2", **({"after": cursor} if cursor else {}))
        pages.append([m["text"] for m in page["data"]])
        cursor = page["pagination"]["cursor"]
        if cursor is None:
            break
    assert [t for p in pages for t in p] == newest_first
    assert [len(p) for p in pages] == [2, 2, 2]
    platform.stop_worker()
    platform.start_worker()
    platform.wait_serving()
    mod_headers = owner.auth
    api.delete(f"/api/v1/channels/{channel}/chat/messages/{ids[0]}", headers=mod_headers)
    until(lambda: texts(api, channel), lambda t: "line 0" not in t, 60, "the deletion")
    api.post(f"/api/v1/channels/{channel}/chat/bans", json={"username": fan.username},
             headers=mod_headers)
    until(lambda: texts(api, channel), lambda t: t == ["from the host"], 30,
          "the banned user's messages to be hidden")
    assert [m["badges"] for m in history(api, channel)["data"]] == [["broadcaster"]]


def test_bad_history_cursor_is_400(api: httpx.Client) -> None:
    account: Account = signed_in(api)
    response = api.get(f"/api/v1/channels/{account.username}/chat/messages",
                       params={"after": "garbage"})
    assert response.status_code == 400


def test_a_ban_may_keep_the_users_history(platform: RunningPlatform, api: httpx.Client) -> None:
    owner, fan, other = signed_in(api, "own"), signed_in(api, "fan"), signed_in(api, "oth")
    channel = owner.username
    until(lambda: api.get(f"/api/v1/channels/{channel}").status_code,
          lambda status: status == 200, 20, "the channel")
    bans = f"/api/v1/channels/{channel}/chat/bans"
    with join(platform.base_url, channel, fan) as ws, join(platform.base_url, channel,
                                                           other) as ws2:
        assert say(ws, "kept")["type"] == "ack"
        assert say(ws2, "hidden")["type"] == "ack"
        kept = api.post(bans, json={"username": fan.username, "hide_history": False},
                        headers=owner.auth)
        assert kept.status_code == 200, kept.text
        [notice] = frames(ws2, "moderation", 1)
        assert (notice["action"], notice["hide_history"]) == ("ban", False)
        assert api.post(bans, json={"username": other.username, "duration_s": 60},
                        headers=owner.auth).status_code == 200
        assert say(ws, "refused")["reason"] == "banned"
    until(lambda: texts(api, channel), lambda t: t == ["kept"], 30,
          "the kept history without the hidden user's message")


def test_rows_written_with_lists_still_read_back(platform: RunningPlatform,
                                                 api: httpx.Client) -> None:
    """Rows from before badges and emotes became JSON text keep their list columns. The row is
    not in the log, so it is deleted again: a replay would rightly find the live version
    different."""
    owner, _ = owner_and_fan(api)
    with psycopg.connect(platform.settings.postgres) as conn:
        keyspace = locations.location(conn, NAME, platform.settings.cassandra_keyspace).live
    store = session(platform.settings, keyspace)
    now = datetime.now(UTC).replace(tzinfo=None)
    key = (owner.username, day_of(now), now, "old-1")
    try:
        store.execute(
            "INSERT INTO chat_messages (channel, day, sent_at, message_id, user_id, username, "
            "display_name, text, badges, emotes) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (*key, str(uuid4()), "old", "Old", "hi Kappa", ["moderator"], ["Kappa:3-7"]))
        [message] = history(api, owner.username)["data"]
        assert (message["badges"], message["emotes"]) == (["moderator"], ["Kappa:3-7"])
    finally:
        store.execute("DELETE FROM chat_messages WHERE channel = %s AND day = %s "
                      "AND sent_at = %s AND message_id = %s", key)
        store.cluster.shutdown()


class CountingSession:
    """A real session that counts the chat rows its statements return."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.rows_read = 0

    def execute(self, statement: str, values: tuple[Any, ...] = ()) -> list[Any]:
        rows = list(self.store.execute(statement, values))
        if "FROM chat_messages" in statement:
            self.rows_read += len(rows)
        return rows


def test_a_page_reads_only_the_rows_it_returns(platform: RunningPlatform) -> None:
    """Rows written straight to a channel no one has, five sharing one time: every page
    continues where the last ended, and reads no more than a page's worth past it."""
    with psycopg.connect(platform.settings.postgres) as conn:
        keyspace = locations.location(conn, NAME, platform.settings.cassandra_keyspace).live
    store = session(platform.settings, keyspace)
    channel, now = f"paged_{uuid4().hex[:12]}", datetime.now(UTC).replace(tzinfo=None)
    times = [now - timedelta(seconds=n // 5 if n < 5 else n) for n in range(40)]
    keys = [(channel, day_of(now), at, f"m{n:02}") for n, at in enumerate(times)]
    try:
        for key in keys:
            store.execute("INSERT INTO chat_messages (channel, day, sent_at, message_id, text) "
                          "VALUES (%s, %s, %s, %s, %s)", (*key, key[3]))
        counting, cursor = CountingSession(store), None
        pages: list[list[str]] = []
        while len(pages) < 20:
            before = counting.rows_read
            page = last_messages(counting, channel, 4, cursor)
            assert counting.rows_read - before <= 2 * 4
            if not page:
                break
            pages.append([row.message_id for row in page])
            cursor = Cursor(page[-1].sent_at, page[-1].message_id)
        assert [m for p in pages for m in p] == [key[3] for key in keys]
    finally:
        for key in keys:
            store.execute("DELETE FROM chat_messages WHERE channel = %s AND day = %s "
                          "AND sent_at = %s AND message_id = %s", key)
        store.cluster.shutdown()
