"""Who follows which channel, in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.social import FOLLOWS_TOPIC, ChannelFollowed, ChannelUnfollowed
from feeds.records import Envelope


class FollowsProjection:
    name: str = "follows"
    topics: tuple[str, ...] = (FOLLOWS_TOPIC,)
    tables: tuple[str, ...] = ("follows",)
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
            if kept := rows(replacing=False):
                cur.executemany(insert + "DO NOTHING", kept)
            if replaced := rows(replacing=True):
                cur.executemany(insert + "DO UPDATE SET username = EXCLUDED.username, "
                                "followed_at = EXCLUDED.followed_at", replaced)
            if unfollowed:
                cur.executemany("DELETE FROM follows WHERE channel = %s AND user_id = %s",
                                unfollowed)


Folded = list[tuple[ChannelFollowed | ChannelUnfollowed, bool]]


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
