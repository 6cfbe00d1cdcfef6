"""What players report while someone watches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from events.base import Event

VIEW_HEARTBEATS_TOPIC = "view-heartbeats"


@dataclass(frozen=True, kw_only=True)
class ViewHeartbeat(Event):
    """A player is playing the channel. viewer is the user id, or "anon:<player session>"."""

    schema_name: ClassVar[str] = "castline.views.ViewHeartbeat"
    topic: ClassVar[str] = VIEW_HEARTBEATS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    viewer: str
    player_session: str
    user_id: str | None = None
    quality: str | None = None
