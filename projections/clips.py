"""The clips read model: asked for, then cut or failed, perhaps deleted; a repeat of any event
changes nothing."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.base import Message
from events.clips import ClipCreated, ClipDeleted, ClipFailed, ClipRequested

REQUESTED = (
    "INSERT INTO clips (clip_id, channel, creator_id, title, session_id, start_at, video_id, "
    "start_ms, requested_ms, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT DO NOTHING"
)
CREATED = ("UPDATE clips SET status = 'ready', duration_ms = %s, object_key = %s "
           "WHERE clip_id = %s AND status = 'pending'")
FAILED = ("UPDATE clips SET status = 'failed', failure = %s "
          "WHERE clip_id = %s AND status = 'pending'")
DELETED = "UPDATE clips SET status = 'deleted' WHERE clip_id = %s"
CLIP_EVENTS = (ClipRequested, ClipCreated, ClipFailed, ClipDeleted)


def apply_clips(conn: psycopg.Connection, messages: Sequence[Message]) -> None:
    """In log order: a clip is asked for before it is cut; the first outcome stays, and a
    deletion ends it whatever came before (an outcome after it finds no pending clip)."""
    relevant = [m for m in messages if isinstance(m, CLIP_EVENTS)]
    if not relevant:
        return
    with conn.pipeline(), conn.cursor() as cur:
        for event in relevant:
            if isinstance(event, ClipRequested):
                cur.execute(REQUESTED, (
                    event.clip_id, event.channel, event.creator_id, event.title,
                    event.session_id, event.start_at, event.video_id, event.start_ms,
                    event.duration_ms, event.occurred_at))
            elif isinstance(event, ClipCreated):
                cur.execute(CREATED, (event.duration_ms, event.object_key, event.clip_id))
            elif isinstance(event, ClipFailed):
                cur.execute(FAILED, (event.reason, event.clip_id))
            else:
                cur.execute(DELETED, (event.clip_id,))
