"""Who follows which channel, in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.social import FOLLOWS_TOPIC, ChannelFollowed, ChannelUnfollowed
from projections.runner import Envelope


class FollowsProjection:
    name: str = "follows"
    topics: tuple[str, ...] = (FOLLOWS_TOPIC,)
    tables: tuple[str, ...] = ("follows",)
    derived_columns: tuple[str, ...] = ()

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        """Only the last follow or unfollow per (channel, user) in the batch matters."""
        last: dict[tuple[str, str], ChannelFollowed | ChannelUnfollowed] = {}
        for envelope in envelopes:
            event = envelope.message
            if isinstance(event, ChannelFollowed | ChannelUnfollowed):
                last[(event.channel, event.user_id)] = event
        followed = [e for e in last.values() if isinstance(e, ChannelFollowed)]
        unfollowed = [e for e in last.values() if isinstance(e, ChannelUnfollowed)]
        with conn.cursor() as cur:
            if followed:
                cur.executemany(
                    "INSERT INTO follows (channel, user_id, username, followed_at) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [(e.channel, e.user_id, e.username, e.occurred_at) for e in followed],
                )
            if unfollowed:
                cur.executemany("DELETE FROM follows WHERE channel = %s AND user_id = %s",
                                [(e.channel, e.user_id) for e in unfollowed])
