"""VOD and clip views: each player session that sent a heartbeat for a video (or a clip) is one
view of it, counted into its read model's view_count once however often its heartbeats are
delivered."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import psycopg

from events.clips import ClipViewHeartbeat
from events.views import VIEW_HEARTBEATS_TOPIC, VodViewHeartbeat
from feeds.records import Envelope
from projections.staging import StagingTable


def _counted(kind: str) -> str:
    return (
        f"WITH new AS (INSERT INTO {kind}_views ({kind}_id, player_session) "
        f"SELECT DISTINCT {kind}_id, player_session FROM pg_temp.{kind}_view_batch "
        f"ON CONFLICT DO NOTHING RETURNING {kind}_id) "
        f"UPDATE {kind}s v SET view_count = v.view_count + n.views "
        f"FROM (SELECT {kind}_id, count(*) AS views FROM new GROUP BY {kind}_id) n "
        f"WHERE v.{kind}_id = n.{kind}_id"
    )


VIDEO_BEATS = StagingTable("video_view_batch", (("video_id", "uuid"), ("player_session", "text")))
CLIP_BEATS = StagingTable("clip_view_batch", (("clip_id", "uuid"), ("player_session", "text")))
COUNTED = {"video": _counted("video"), "clip": _counted("clip")}


class VideoViewsProjection:
    name: str = "video_views"
    topics: tuple[str, ...] = (VIEW_HEARTBEATS_TOPIC,)
    tables: tuple[str, ...] = ("video_views", "clip_views")
    derived_columns: tuple[str, ...] = ()

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        videos = {(UUID(e.message.video_id), e.message.player_session) for e in envelopes
                  if isinstance(e.message, VodViewHeartbeat)}
        clips = {(UUID(e.message.clip_id), e.message.player_session) for e in envelopes
                 if isinstance(e.message, ClipViewHeartbeat)}
        if videos:
            VIDEO_BEATS.copy(conn, sorted(videos))
            conn.execute(COUNTED["video"])
        if clips:
            CLIP_BEATS.copy(conn, sorted(clips))
            conn.execute(COUNTED["clip"])
