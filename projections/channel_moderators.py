"""Who moderates which channel, kept beside the channels read model."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.base import Message
from events.channels import ModeratorAdded, ModeratorRemoved


def apply_moderators(conn: psycopg.Connection, messages: Sequence[Message]) -> None:
    """Only the last add or remove per (channel, user) in the batch matters."""
    last: dict[tuple[str, str], ModeratorAdded | ModeratorRemoved] = {}
    for message in messages:
        if isinstance(message, ModeratorAdded | ModeratorRemoved):
            last[(message.channel, message.user_id)] = message
    added = [e for e in last.values() if isinstance(e, ModeratorAdded)]
    removed = [e for e in last.values() if isinstance(e, ModeratorRemoved)]
    with conn.cursor() as cur:
        if added:
            cur.executemany(
                "INSERT INTO channel_moderators (channel, user_id, username, added_at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [(e.channel, e.user_id, e.username, e.occurred_at) for e in added],
            )
        if removed:
            cur.executemany(
                "DELETE FROM channel_moderators WHERE channel = %s AND user_id = %s",
                [(e.channel, e.user_id) for e in removed],
            )
