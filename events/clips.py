"""Clips: a few seconds cut from a live stream or a VOD, on the channel's topic so they order
with its streams and videos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events.base import Event
from events.channels import CHANNELS_TOPIC
from events.views import ViewEvent


@dataclass(frozen=True, kw_only=True)
class ClipEvent(Event, namespace="castline.clips", topic=CHANNELS_TOPIC, key_field="channel"):
    """A fact about one of the channel's clips."""


@dataclass(frozen=True, kw_only=True)
class ClipRequested(ClipEvent):
    """A signed-in viewer asked for a clip; the clipper cuts it. From a live stream
    (video_id None) it spans [start_at, start_at + duration_ms) of the session's wall clock;
    from a VOD it starts start_ms into the video."""

    channel: str
    clip_id: str
    creator_id: str
    duration_ms: int
    title: str = ""
    session_id: str | None = None
    start_at: datetime | None = None
    video_id: str | None = None
    start_ms: int = 0


@dataclass(frozen=True, kw_only=True)
class ClipCreated(ClipEvent):
    """The clip is cut and stored (one MP4 under vods/clips/{clip_id}/); its event id follows
    from the clip id, so a clip cut again after a crash is the same fact."""

    channel: str
    clip_id: str
    duration_ms: int  # as cut: on keyframes, so within a keyframe interval of what was asked
    object_key: str  # the file in the object store


@dataclass(frozen=True, kw_only=True)
class ClipFailed(ClipEvent):
    """The clip could not be cut (its recording gone, or unreadable): it never will be."""

    channel: str
    clip_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ClipDeleted(ClipEvent):
    """The clip is gone: the channel's broadcaster, its creator or an admin deleted it. Its
    file is removed once the deletion is projected."""

    channel: str
    clip_id: str
    by_user_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ClipViewHeartbeat(ViewEvent):
    """A player is playing one of the channel's clips; viewer_id as a live one's."""

    channel: str
    clip_id: str
    viewer_id: str
    player_session: str
    user_id: str | None = None
