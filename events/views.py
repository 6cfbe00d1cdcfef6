"""What players report while someone watches."""

from __future__ import annotations

from dataclasses import dataclass

from events.base import Event

VIEW_HEARTBEATS_TOPIC = "view-heartbeats"


@dataclass(frozen=True, kw_only=True)
class ViewEvent(
    Event, namespace="castline.views", topic=VIEW_HEARTBEATS_TOPIC, key_field="channel"
):
    """What a player reports about the channel it plays."""


@dataclass(frozen=True, kw_only=True)
class ViewHeartbeat(ViewEvent):
    """A player is playing the channel. viewer_id is the user id, or "anon:<player session>"."""

    channel: str
    viewer_id: str  # v2: was `viewer`; v1 events read into it by the schema's alias
    player_session: str
    user_id: str | None = None
    quality: str | None = None


@dataclass(frozen=True, kw_only=True)
class VodViewHeartbeat(ViewEvent):
    """A player is playing one of the channel's videos (a VOD); viewer_id as a live one's."""

    channel: str
    video_id: str
    viewer_id: str
    player_session: str
    user_id: str | None = None
    quality: str | None = None
