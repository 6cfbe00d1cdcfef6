"""Past broadcasts kept as HLS videos, on the channel's topic so they order with its streams."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from events.base import Event
from events.channels import CHANNELS_TOPIC


@dataclass(frozen=True, kw_only=True)
class VodEvent(Event, namespace="castline.vods", topic=CHANNELS_TOPIC, key_field="channel"):
    """A fact about one of the channel's videos (a recorded live session)."""


@dataclass(frozen=True, kw_only=True)
class VodRecorded(VodEvent):
    """A live session's recording was stored: one HLS playlist per rendition and a master.
    video_id and event_id follow from the session id, so a recording redone after a crash is
    the same fact. Title and category are the channel's as the session ended."""

    channel: str
    video_id: str
    session_id: str
    started_at: datetime
    ended_at: datetime
    duration_ms: int  # the source rendition's
    renditions: list[str] = field(default_factory=list)  # "src", then the ladder's names
    title: str = ""
    category: str = ""


@dataclass(frozen=True, kw_only=True)
class VodDeleted(VodEvent):
    """The video is gone: its broadcaster (or an admin) deleted it, or it outlived retention."""

    channel: str
    video_id: str
    reason: str  # "deleted" or "retention"
    by_user_id: str | None = None
