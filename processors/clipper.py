"""Cuts the clips viewers ask for: from the live session's recording (the FLV nginx-rtmp is
still writing, or has just closed) or from the VOD's source rendition, copied on keyframes,
then stored in the object store as the VODs are.

Idempotent by clip id: driven by the clips read model's pending rows; a clip whose outcome
was handed out is not cut again while that outcome is on its way to the read model, and its
ClipCreated's event id follows from the clip id, so a cut done again after a crash is the same
fact stored under the same key. A deleted clip's file is removed once its deletion is in the
read model.
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import NAMESPACE_URL, UUID, uuid5

import psycopg

from config.settings import Settings
from events.base import Message
from events.clips import ClipCreated, ClipFailed
from processors.scheduler import Ticker, threaded_ticker
from processors.vod_media import PLAYLIST, SOURCE, MediaError, cut_clip, recordings_in
from stores.objects import ObjectStore, object_store

log = logging.getLogger(__name__)
EMITTED_FOR_S = 120.0
# A live clip is cut once the recording holds its end: what the publisher sent by then.
LIVE_LAG_S = 1.0

PENDING = (
    "SELECT clip_id::text, channel, start_at, video_id::text, start_ms, requested_ms "
    "FROM clips WHERE status = 'pending' ORDER BY created_at LIMIT 20"
)

UNREMOVED = ("SELECT clip_id::text FROM clips "
             "WHERE status = 'deleted' AND files_removed_at IS NULL LIMIT 100")
REMOVED = "UPDATE clips SET files_removed_at = now() WHERE clip_id = %s"


def clip_prefix(clip_id: str) -> str:
    return f"vods/clips/{clip_id}/"


@dataclass(frozen=True)
class PendingClip:
    clip_id: str
    channel: str
    start_at: datetime | None
    video_id: str | None
    start_ms: int
    requested_ms: int

    @property
    def key(self) -> str:
        return f"{clip_prefix(self.clip_id)}clip.mp4"


def outcome_id(clip_id: str) -> UUID:
    """A clip's one outcome: created or failed, never both, never twice."""
    return uuid5(NAMESPACE_URL, f"castline:clip-cut:{clip_id}")


@dataclass
class Clipper:
    settings: Settings
    store: ObjectStore
    emitted: dict[str, float] = field(default_factory=dict)

    def tick(self) -> list[Message]:
        with psycopg.connect(self.settings.postgres) as conn:
            pending = [PendingClip(*row) for row in conn.execute(PENDING)]
        outcomes = self.cut_pending(pending, datetime.now(UTC))
        # After the cuts: a clip deleted while it was being cut loses the file just stored.
        self.remove_deleted()
        return outcomes

    def remove_deleted(self) -> None:
        with psycopg.connect(self.settings.postgres, autocommit=True) as conn:
            for (clip_id,) in conn.execute(UNREMOVED).fetchall():
                self.store.delete_prefix(clip_prefix(clip_id))
                conn.execute(REMOVED, (clip_id,))

    def cut_pending(self, pending: list[PendingClip], now: datetime) -> list[Message]:
        """The outcome of each clip ready to cut and not handed out lately."""
        outcomes: list[Message] = []
        for clip in pending:
            if self._due(clip.clip_id) and self._ready(clip, now):
                outcomes.append(self._cut(clip))
                self.emitted[clip.clip_id] = time.monotonic()
        return outcomes

    def _due(self, clip_id: str) -> bool:
        emitted = self.emitted.get(clip_id)
        return emitted is None or time.monotonic() - emitted > EMITTED_FOR_S

    @staticmethod
    def _ready(clip: PendingClip, now: datetime) -> bool:
        if clip.start_at is None:
            return True
        end = clip.start_at + timedelta(milliseconds=clip.requested_ms, seconds=LIVE_LAG_S)
        return now >= end

    def _cut(self, clip: PendingClip) -> ClipCreated | ClipFailed:
        source = self._source(clip)
        if source is None:
            return self._failed(clip, "its recording is no longer kept")
        where, start_s = source
        try:
            with tempfile.TemporaryDirectory(prefix="clip-") as work:
                out = Path(work) / "clip.mp4"
                duration_ms = cut_clip(where, start_s, clip.requested_ms / 1000, out)
                self.store.put(clip.key, out)
        except MediaError as error:
            log.error("clip %s of %s not cut: %s", clip.clip_id, clip.channel, error)
            return self._failed(clip, "its video could not be read")
        return ClipCreated(event_id=outcome_id(clip.clip_id), channel=clip.channel,
                           clip_id=clip.clip_id, duration_ms=duration_ms, object_key=clip.key)

    @staticmethod
    def _failed(clip: PendingClip, reason: str) -> ClipFailed:
        return ClipFailed(event_id=outcome_id(clip.clip_id), channel=clip.channel,
                          clip_id=clip.clip_id, reason=reason)

    def _source(self, clip: PendingClip) -> tuple[str, float] | None:
        """What ffmpeg reads the clip from, and where in it the clip starts."""
        if clip.video_id is not None:
            return self._vod_source(clip.video_id), clip.start_ms / 1000
        assert clip.start_at is not None
        begins = clip.start_at.timestamp()
        recordings = [r for part in ("recording", "done")
                      for r in recordings_in(self.settings.recordings / part)
                      if r.channel == clip.channel and r.started <= begins + 1]
        if not recordings:
            return None
        latest = max(recordings, key=lambda r: r.started)
        return str(latest.path), max(begins - latest.started, 0.0)

    def _vod_source(self, video_id: str) -> str:
        rendition = f"vods/{video_id}/{SOURCE}/{PLAYLIST}"
        if self.settings.vod_store == "local":
            return str(self.settings.objects / rendition)
        return f"{self.settings.vods}/{video_id}/{SOURCE}/{PLAYLIST}"


def clip_ticker(settings: Settings) -> Ticker:
    clipper = Clipper(settings, object_store(settings))
    return threaded_ticker("clips", settings.clip_cut_every_s, clipper.tick, "cutting clips")
