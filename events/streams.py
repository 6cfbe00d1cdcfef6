"""Live streaming events, on the channel's topic so they order with its other events."""

from __future__ import annotations

from dataclasses import dataclass

from events.base import Event
from events.channels import CHANNELS_TOPIC


@dataclass(frozen=True, kw_only=True)
class StreamEvent(Event, namespace="castline.streams", topic=CHANNELS_TOPIC, key_field="channel"):
    """A fact about the channel's stream: its key, its live sessions, its suspension."""


@dataclass(frozen=True, kw_only=True)
class StreamKeyRotated(StreamEvent):
    """A new stream key replaced the old one; only its SHA-256 digest is recorded."""

    channel: str
    key_hash: str
    by_user_id: str


@dataclass(frozen=True, kw_only=True)
class StreamStarted(StreamEvent):
    """A publisher with the right key went live; client_id is nginx-rtmp's connection id."""

    channel: str
    session_id: str
    client_id: str
    address: str


@dataclass(frozen=True, kw_only=True)
class StreamHeartbeat(StreamEvent):
    """The live session's publisher is still there."""

    channel: str
    session_id: str


@dataclass(frozen=True, kw_only=True)
class StreamEnded(StreamEvent):
    """The live session ended: the publisher stopped, or reconciliation found it gone."""

    channel: str
    session_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class PublishRejected(StreamEvent):
    """Someone tried to publish and was refused (wrong key, already live)."""

    channel: str
    reason: str
    client_id: str
    address: str


@dataclass(frozen=True, kw_only=True)
class ChannelSuspended(StreamEvent):
    """A platform admin banned the channel from streaming; a live session ends with it."""

    channel: str
    reason: str
    by_user_id: str


@dataclass(frozen=True, kw_only=True)
class ChannelReinstated(StreamEvent):
    """The channel may stream again."""

    channel: str
    by_user_id: str
