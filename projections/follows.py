"""Who follows which channel, in PostgreSQL, and how many follow each (counted as follows come
and go, so that a listing never counts them)."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.social import FOLLOWS_TOPIC, ChannelFollowed, ChannelUnfollowed
from feeds.records import Envelope


class FollowsProjection:
    name: str = "follows"
    topics: tuple[str, ...] = (FOLLOWS_TOPIC,)
    tables: tuple[str, ...] = ("follows", "follower_counts")
    derived_columns: tuple[str, ...] = ()

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        self._store(conn, fold([e.message for e in envelopes]))

    @staticmethod
    def _store(conn: psycopg.Connection, folded: Folded) -> None:
        def rows(replacing: bool) -> list[tuple[object, ...]]:
            return [(e.channel, e.user_id, e.username, e.occurred_at) for e, replaces in folded
                    if isinstance(e, ChannelFollowed) and replaces == replacing]

        insert = ("INSERT INTO follows (channel, user_id, username, followed_at) "
                  "VALUES (%s, %s, %s, %s) ON CONFLICT (channel, user_id) ")
        unfollowed = [(e.channel, e.user_id) for e, _ in folded
                      if isinstance(e, ChannelUnfollowed)]
        with conn.cursor() as cur:
            deltas = _count_changes(cur, folded)
            if kept := rows(replacing=False):
                cur.executemany(insert + "DO NOTHING", kept)
            if replaced := rows(replacing=True):
                cur.executemany(insert + "DO UPDATE SET username = EXCLUDED.username, "
                                "followed_at = EXCLUDED.followed_at", replaced)
            if unfollowed:
                cur.executemany("DELETE FROM follows WHERE channel = %s AND user_id = %s",
                                unfollowed)
            if deltas:
                cur.execute(
                    "INSERT INTO follower_counts (channel, followers) "
                    "SELECT * FROM unnest(%s::text[], %s::bigint[]) ON CONFLICT (channel) "
                    "DO UPDATE SET followers = follower_counts.followers + EXCLUDED.followers",
                    (list(deltas), list(deltas.values())))
                # A channel nobody follows has no row, however its follows were batched (a
                # replay folds a follow and its unfollow into nothing; the live feed may not).
                cur.execute("DELETE FROM follower_counts WHERE channel = ANY(%s) "
                            "AND followers = 0", (list(deltas),))


Folded = list[tuple[ChannelFollowed | ChannelUnfollowed, bool]]


def _count_changes(cur: psycopg.Cursor[tuple[str, str]], folded: Folded) -> dict[str, int]:
    """How each channel's follower count changes once the batch is stored: a follow that was
    not stored counts one more, an unfollow of a stored follow one less."""
    keys = [(e.channel, e.user_id) for e, _ in folded]
    if not keys:
        return {}
    cur.execute("SELECT channel, user_id::text FROM follows WHERE (channel, user_id) IN "
                "(SELECT * FROM unnest(%s::text[], %s::uuid[]))",
                ([c for c, _ in keys], [u for _, u in keys]))
    stored = {(channel, user) for channel, user in cur.fetchall()}
    deltas: dict[str, int] = {}
    for event, _ in folded:
        after = isinstance(event, ChannelFollowed)
        change = int(after) - int((event.channel, event.user_id) in stored)
        if change:
            deltas[event.channel] = deltas.get(event.channel, 0) + change
    return deltas


def fold(messages: Sequence[object]) -> Folded:
    """A batch folded to what applying it event by event would leave, whatever its size (a
    replay batches differently from the live feed): a follow while already following changes
    nothing; a follow after an unfollow starts a new follow (True: it replaces a stored one)."""
    last: dict[tuple[str, str], tuple[ChannelFollowed | ChannelUnfollowed, bool]] = {}
    for event in messages:
        if not isinstance(event, ChannelFollowed | ChannelUnfollowed):
            continue
        key = (event.channel, event.user_id)
        earlier = last.get(key)
        if isinstance(event, ChannelFollowed) and earlier is not None and isinstance(
                earlier[0], ChannelFollowed):
            continue
        last[key] = (event, earlier is not None or isinstance(event, ChannelUnfollowed))
    return list(last.values())
