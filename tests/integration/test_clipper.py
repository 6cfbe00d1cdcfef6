"""The clipper, once however often: a clip handed out is not cut again while its outcome is on
its way, a clipper restarted before then cuts the same file under the same key with the same
event id, and the read model takes a clip's request and its outcome once however often they
are delivered; a clip whose recording is gone fails."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from config.settings import Settings
from events.clips import ClipCreated, ClipFailed, ClipRequested
from events.codec import Codec
from events.producer import EventProducer
from processors.clipper import Clipper, PendingClip, outcome_id
from stores.objects import LocalObjectStore
from tests.integration.oauth_helpers import signed_in


@pytest.fixture
def producer(stack: Settings) -> Iterator[EventProducer]:
    producing = EventProducer(stack.kafka, Codec.from_settings(stack).encode)
    yield producing
    producing.close()


def recording(path: Path, seconds: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([
        "ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi",
        "-i", f"testsrc=size=320x180:rate=30:duration={seconds}", "-f", "lavfi",
        "-i", f"sine=duration={seconds}", "-c:v", "libx264", "-preset", "veryfast",
        "-pix_fmt", "yuv420p", "-g", "60", "-c:a", "aac", "-f", "flv", str(path)],
        check=True, timeout=60)


def test_a_clip_is_cut_once_and_the_same_when_cut_again(stack: Settings, tmp_path: Path) -> None:
    settings = stack.model_copy(update={"recordings_dir": tmp_path / "recordings"})
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    recording(settings.recordings / "recording" / f"clipped-{int(started.timestamp())}.flv", 12)
    clip = PendingClip(str(uuid4()), "clipped", started + timedelta(seconds=3), None, 0, 6000)
    now = datetime.now(UTC)
    clipper = Clipper(settings, LocalObjectStore(tmp_path / "objects"))
    [first] = clipper.cut_pending([clip], now)
    assert clipper.cut_pending([clip], now) == []  # handed out: not cut again
    restarted = Clipper(settings, LocalObjectStore(tmp_path / "objects"))
    [again] = restarted.cut_pending([clip], now)
    assert isinstance(first, ClipCreated)
    assert isinstance(again, ClipCreated)
    assert (again.event_id, again.object_key, again.duration_ms) == (
        first.event_id, first.object_key, first.duration_ms)
    assert first.event_id == outcome_id(clip.clip_id)
    assert abs(first.duration_ms - 6000) <= 2000
    assert [p.relative_to(tmp_path / "objects").as_posix()
            for p in (tmp_path / "objects").rglob("*") if p.is_file()] == [first.object_key]

    gone = PendingClip(str(uuid4()), "nobody_here", now - timedelta(seconds=30), None, 0, 5000)
    [failed] = clipper.cut_pending([gone], now)
    assert isinstance(failed, ClipFailed)
    assert failed.event_id == outcome_id(gone.clip_id)
    early = PendingClip(str(uuid4()), "clipped", now - timedelta(seconds=3), None, 0, 5000)
    assert clipper.cut_pending([early], now) == []  # its end not recorded yet


def test_the_read_model_takes_a_request_and_its_outcome_once(
    api: httpx.Client, producer: EventProducer,
) -> None:
    channel = signed_in(api, "clr").username
    clip_id = str(uuid4())
    # Its end an hour away: the running worker's clipper leaves it pending.
    requested = ClipRequested(channel=channel, clip_id=clip_id, creator_id=str(uuid4()),
                              duration_ms=10_000, title="twice",
                              start_at=datetime.now(UTC) + timedelta(hours=1))
    created = ClipCreated(event_id=outcome_id(clip_id), channel=channel, clip_id=clip_id,
                          duration_ms=10_100, object_key=f"vods/clips/{clip_id}/clip.mp4")
    failed = ClipFailed(event_id=outcome_id(clip_id), channel=channel, clip_id=clip_id,
                        reason="too late")
    position = producer.send([requested, requested, created, created, failed])[-1]
    shown = api.get(f"/api/v1/clips/{clip_id}", params={"min_position": position.token})
    assert shown.status_code == 200, shown.text
    clip = shown.json()["data"]
    assert (clip["status"], clip["duration_s"], clip["title"]) == ("ready", 10.1, "twice")
    listed = api.get(f"/api/v1/channels/{channel}/clips").json()["data"]
    assert [c["id"] for c in listed] == [clip_id]
