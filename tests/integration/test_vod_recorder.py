"""The VOD recorder after a crash: a session recorded again (by a restarted recorder) before its
VodRecorded was read back stores the same files under the same keys and emits the same event,
and the VOD is there once; the recorder that handed an event out does not encode it again; the
recording goes once the VOD is in the read model. A recording ffmpeg cannot read is set aside,
never retried."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import psycopg
import pytest

from config.settings import Settings
from events.base import Message
from events.codec import Codec
from events.positions import Position
from events.producer import EventProducer
from events.streams import StreamEnded, StreamStarted
from events.vods import VodRecorded
from processors.vod_recorder import VodRecorder
from stores.objects import LocalObjectStore
from tests.integration.oauth_helpers import signed_in
from tests.waiting import until


@pytest.fixture
def producer(stack: Settings) -> Iterator[EventProducer]:
    producing = EventProducer(stack.kafka, Codec.from_settings(stack).encode)
    yield producing
    producing.close()


def ended_session(stack: Settings, producer: EventProducer, channel: str,
                  started: datetime) -> str:
    """A session of the channel that lasted 5 s, as the channel decider records one."""
    session = str(uuid4())
    producer.send([
        StreamStarted(channel=channel, session_id=session, client_id="1", address="127.0.0.1",
                      occurred_at=started),
        StreamEnded(channel=channel, session_id=session, reason="publisher_left",
                    occurred_at=started + timedelta(seconds=5))])

    def ended() -> bool:
        with psycopg.connect(stack.postgres) as conn:
            row = conn.execute("SELECT ended_at FROM streams WHERE session_id = %s",
                               (session,)).fetchone()
        return row is not None and row[0] is not None

    until(ended, bool, 30, "the session in the read model")
    return session


def recording(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([
        "ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi",
        "-i", "testsrc=size=320x180:rate=30:duration=4", "-f", "lavfi", "-i", "sine=duration=4",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "60",
        "-c:a", "aac", "-f", "flv", str(path)], check=True, timeout=60)


def stored(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def sent(producer: EventProducer, events: Sequence[Message]) -> Position:
    return producer.send(events)[-1]


def test_a_session_recorded_twice_is_one_vod_and_a_bad_recording_is_set_aside(
    api: httpx.Client, stack: Settings, producer: EventProducer, tmp_path: Path,
) -> None:
    channel = signed_in(api, "rec").username
    until(lambda: api.get(f"/api/v1/channels/{channel}").status_code, lambda s: s == 200, 30,
          "the channel")
    settings = stack.model_copy(update={"recordings_dir": tmp_path / "recordings"})
    recorder = VodRecorder(settings, LocalObjectStore(tmp_path / "objects"))
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    ended_session(stack, producer, channel, started)
    good = settings.recordings / "done" / f"{channel}-{int(started.timestamp())}.flv"
    recording(good)

    first = until(recorder.record_ended, bool, 60, "the VOD to be encoded")
    files = stored(tmp_path / "objects")
    assert recorder.record_ended() == []
    assert recorder.encoding is None  # handed out: not encoded again while on its way
    restarted = VodRecorder(settings, LocalObjectStore(tmp_path / "objects"))
    again = until(restarted.record_ended, bool, 60, "the VOD to be encoded again")
    assert len(first) == 1
    assert [(e.event_id, e.video_id, e.duration_ms, e.renditions) for e in again] == [
        (e.event_id, e.video_id, e.duration_ms, e.renditions) for e in first]
    # The same keys; encoded segments may differ in their bytes, as encoders do.
    assert stored(tmp_path / "objects").keys() == files.keys()
    video_id = first[0].video_id
    assert {f"vods/{video_id}/master.m3u8", f"vods/{video_id}/160p/index.m3u8"} <= set(files)

    position = sent(producer, [*first, *again])
    read = api.get(f"/api/v1/videos/{video_id}", params={"min_position": position.token})
    assert read.status_code == 200, read.text
    assert abs(read.json()["data"]["duration_s"] - 4) <= 1
    assert [v["id"] for v in api.get(f"/api/v1/channels/{channel}/videos").json()["data"]] \
        == [video_id]
    assert recorder.record_ended() == []
    assert not good.exists()
    assert recorder.emitted == {}

    later = started + timedelta(minutes=1)
    ended_session(stack, producer, channel, later)
    bad = settings.recordings / "done" / f"{channel}-{int(later.timestamp())}.flv"
    bad.write_bytes(b"FLV not really")
    failed = settings.recordings / "failed" / bad.name
    until(lambda: (recorder.record_ended(), failed.exists()), lambda r: r == ([], True), 60,
          "the bad recording to be set aside")
    assert recorder.record_ended() == []
    assert recorder.encoding is None


def test_a_channels_videos_are_paged_newest_first(
    api: httpx.Client, producer: EventProducer,
) -> None:
    channel = signed_in(api, "pag").username
    now = datetime.now(UTC)
    made = [VodRecorded(channel=channel, video_id=str(uuid4()), session_id=str(uuid4()),
                        started_at=now, ended_at=now, duration_ms=1000, renditions=["src"],
                        occurred_at=now + timedelta(seconds=n)) for n in range(3)]
    position = sent(producer, made)
    api.get(f"/api/v1/videos/{made[-1].video_id}", params={"min_position": position.token})
    first = api.get(f"/api/v1/channels/{channel}/videos", params={"first": 2}).json()
    cursor = first["pagination"]["cursor"]
    rest = api.get(f"/api/v1/channels/{channel}/videos",
                   params={"first": 2, "after": cursor}).json()
    assert [v["id"] for v in first["data"] + rest["data"]] == [
        e.video_id for e in reversed(made)]
    assert rest["pagination"]["cursor"] is None
