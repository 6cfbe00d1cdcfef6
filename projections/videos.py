"""The videos read model: VODs recorded from live sessions, deleted ones kept as tombstones."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.base import Message
from events.vods import VodDeleted, VodRecorded

RECORDED = (
    "INSERT INTO videos (video_id, session_id, channel, title, category, started_at, ended_at, "
    "duration_ms, renditions, recorded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT DO NOTHING"
)
DELETED = (
    "UPDATE videos SET deleted_at = %s, deleted_reason = %s "
    "WHERE video_id = %s AND deleted_at IS NULL"
)


def apply_videos(conn: psycopg.Connection, messages: Sequence[Message]) -> None:
    """In log order: a video is recorded before it can be deleted; repeats change nothing."""
    relevant = [m for m in messages if isinstance(m, VodRecorded | VodDeleted)]
    if not relevant:
        return
    with conn.pipeline(), conn.cursor() as cur:
        for event in relevant:
            if isinstance(event, VodRecorded):
                cur.execute(RECORDED, (
                    event.video_id, event.session_id, event.channel, event.title,
                    event.category, event.started_at, event.ended_at, event.duration_ms,
                    event.renditions, event.occurred_at))
            else:
                cur.execute(DELETED, (event.occurred_at, event.reason, event.video_id))
