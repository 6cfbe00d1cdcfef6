"""Stores ended live sessions as VODs, removes deleted VODs' files and applies retention.

Crash-safe by being driven by what is on disk and in the read model, not by memory: a
session's recordings stay in the recordings directory until its VodRecorded is in the videos
read model, and a recording done again (a crash before that) stores the same files under the
same keys and emits the same event id, so the VOD is there once.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import NAMESPACE_URL, uuid5

import psycopg

from config.ladder import Rendition as LadderRendition
from config.ladder import parse_ladder
from config.settings import Settings
from events.base import Message
from events.vods import VodDeleted, VodRecorded
from processors.scheduler import Ticker, threaded_ticker
from processors.vod_media import (
    MASTER,
    MediaError,
    Recording,
    described,
    encode,
    master_playlist,
    of_session,
    recordings_in,
)
from stores.objects import ObjectStore, object_store

log = logging.getLogger(__name__)
EMITTED_FOR_S = 120.0

SESSIONS = (
    "SELECT s.session_id::text, s.channel, s.started_at, s.ended_at, c.title, c.category, "
    "v.video_id IS NOT NULL FROM streams s JOIN channels c ON c.channel = s.channel "
    "LEFT JOIN videos v ON v.session_id = s.session_id "
    "WHERE s.channel = ANY(%s) AND s.ended_at IS NOT NULL"
)
UNREMOVED = ("SELECT video_id::text FROM videos "
             "WHERE deleted_at IS NOT NULL AND files_removed_at IS NULL")
REMOVED = "UPDATE videos SET files_removed_at = now() WHERE video_id = %s"
EXPIRED = ("SELECT video_id::text, channel FROM videos "
           "WHERE deleted_at IS NULL AND recorded_at < now() - make_interval(days => %s)")


@dataclass(frozen=True)
class EndedSession:
    session_id: str
    channel: str
    started_at: datetime
    ended_at: datetime
    title: str
    category: str
    recorded: bool  # its VodRecorded is in the read model

    @property
    def video_id(self) -> str:
        return video_id_of(self.session_id)


def video_id_of(session_id: str) -> str:
    return str(uuid5(NAMESPACE_URL, f"castline:vod:{session_id}"))


def vod_prefix(video_id: str) -> str:
    return f"vods/{video_id}/"


def ended_sessions(conn: psycopg.Connection, channels: list[str]) -> list[EndedSession]:
    return [EndedSession(*row) for row in conn.execute(SESSIONS, (channels,))]


def store_vod(store: ObjectStore, session: EndedSession, parts: list[Path],
              ladder: list[LadderRendition], segment_s: int) -> VodRecorded:
    """Every rendition encoded and stored, the master playlist last: a master in the store
    means its renditions are there."""
    prefix = vod_prefix(session.video_id)
    with tempfile.TemporaryDirectory(prefix="vod-") as work:
        names = encode(parts, Path(work), ladder, segment_s)
        renditions = [described(name, Path(work) / name) for name in names]
        for name in names:
            for file in sorted((Path(work) / name).iterdir()):
                store.put(f"{prefix}{name}/{file.name}", file)
        master = Path(work) / MASTER
        master.write_text(master_playlist(renditions))
        store.put(prefix + MASTER, master)
    return VodRecorded(
        event_id=uuid5(NAMESPACE_URL, f"castline:vod-recorded:{session.session_id}"),
        channel=session.channel, video_id=session.video_id, session_id=session.session_id,
        started_at=session.started_at, ended_at=session.ended_at,
        duration_ms=renditions[0].duration_ms, renditions=names,
        title=session.title, category=session.category)


@dataclass
class Encoding:
    session: EndedSession
    parts: list[Recording]
    result: Future[VodRecorded]


@dataclass
class VodRecorder:
    """Encodes one session at a time in a thread of its own, so that the scheduler's other
    tickers never wait for a long session's encode; the tick collects what has finished."""

    settings: Settings
    store: ObjectStore
    encoding: Encoding | None = None
    # Sessions whose VodRecorded was handed out, by when: not encoded again while their event
    # is on its way to the read model (nor after a while, should it have been lost).
    emitted: dict[str, float] = field(default_factory=dict)

    def record_ended(self) -> list[VodRecorded]:
        """The VodRecorded of an encode finished since the last call; starts the next one of
        an ended session whose files are all closed (or that ended vod_wait_s ago: nginx-rtmp
        killed, its files never closed)."""
        finished = self._finished()
        done = recordings_in(self.settings.recordings / "done")
        if not done:
            return finished
        recording = recordings_in(self.settings.recordings / "recording")
        now = datetime.now(UTC)
        with psycopg.connect(self.settings.postgres) as conn:
            sessions = ended_sessions(conn, sorted({r.channel for r in done}))
        for session in sessions:
            parts = of_session(done, session.channel, session.started_at, session.ended_at)
            if session.recorded:
                self.emitted.pop(session.session_id, None)
                for part in parts:
                    part.path.unlink(missing_ok=True)
            elif parts and self.encoding is None and self._due(session.session_id):
                open_parts = of_session(recording, session.channel, session.started_at,
                                        session.ended_at)
                waited = now - session.ended_at > timedelta(seconds=self.settings.vod_wait_s)
                if waited or not open_parts:
                    self._start(session, parts + open_parts)
        return finished

    def _due(self, session_id: str) -> bool:
        emitted = self.emitted.get(session_id)
        return emitted is None or time.monotonic() - emitted > EMITTED_FOR_S

    def _start(self, session: EndedSession, parts: list[Recording]) -> None:
        result: Future[VodRecorded] = Future()

        def encode() -> None:
            try:
                result.set_result(self._recorded(session, parts))
            except Exception as error:  # noqa: BLE001 - handed to the tick, which raises it
                result.set_exception(error)

        self.encoding = Encoding(session, parts, result)
        # A daemon: a stopping worker does not wait for a long session's encode.
        threading.Thread(target=encode, name=f"vod-{session.session_id}", daemon=True).start()

    def _finished(self) -> list[VodRecorded]:
        if self.encoding is None or not self.encoding.result.done():
            return []
        encoding, self.encoding = self.encoding, None
        try:
            event = encoding.result.result()
        except MediaError as error:
            self._set_aside(encoding.session, encoding.parts, error)
            return []
        self.emitted[event.session_id] = time.monotonic()
        return [event]

    def _set_aside(self, session: EndedSession, parts: list[Recording],
                   error: MediaError) -> None:
        """A recording ffmpeg cannot read is kept in failed/ for a look, never retried."""
        failed = self.settings.recordings / "failed"
        failed.mkdir(parents=True, exist_ok=True)
        for part in parts:
            part.path.rename(failed / part.path.name)
        log.error("no VOD of %s's session %s, its recording is in %s: %s", session.channel,
                  session.session_id, failed, error)

    def _recorded(self, session: EndedSession, parts: list[Recording]) -> VodRecorded:
        ordered = [part.path for part in sorted(parts, key=lambda r: r.started)]
        event = store_vod(self.store, session, ordered,
                          parse_ladder(self.settings.transcode_ladder),
                          self.settings.vod_segment_s)
        log.info("VOD %s of %s's session %s stored", event.video_id, session.channel,
                 session.session_id)
        return event

    def remove_deleted(self) -> None:
        with psycopg.connect(self.settings.postgres, autocommit=True) as conn:
            for (video_id,) in conn.execute(UNREMOVED).fetchall():
                self.store.delete_prefix(vod_prefix(video_id))
                conn.execute(REMOVED, (video_id,))

    def expired(self) -> list[VodDeleted]:
        """VodDeleted for each VOD older than retention; the same event id however often."""
        if not self.settings.vod_retention_days:
            return []
        with psycopg.connect(self.settings.postgres) as conn:
            rows = conn.execute(EXPIRED, (self.settings.vod_retention_days,)).fetchall()
        return [VodDeleted(event_id=uuid5(NAMESPACE_URL, f"castline:vod-expired:{video_id}"),
                           channel=channel, video_id=video_id, reason="retention")
                for video_id, channel in rows]

    def tick(self) -> list[Message]:
        self.remove_deleted()
        return [*self.record_ended(), *self.expired()]


def vod_ticker(settings: Settings) -> Ticker:
    recorder = VodRecorder(settings, object_store(settings))
    return threaded_ticker("vods", settings.vod_record_every_s, recorder.tick, "storing VODs")
