"""Live streaming events, on the channel's topic so they order with its other events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from events.base import Event
from events.channels import CHANNELS_TOPIC


@dataclass(frozen=True, kw_only=True)
class StreamKeyRotated(Event):
    """A new stream key replaced the old one; only its SHA-256 digest is recorded."""

    schema_name: ClassVar[str] = "castline.streams.StreamKeyRotated"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    key_hash: str
    by_user_id: str


@dataclass(frozen=True, kw_only=True)
class StreamStarted(Event):
    """A publisher with the right key went live; client_id is nginx-rtmp's connection id."""

    schema_name: ClassVar[str] = "castline.streams.StreamStarted"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    session_id: str
    client_id: str
    address: str


@dataclass(frozen=True, kw_only=True)
class StreamHeartbeat(Event):
    """The live session's publisher is still there."""

    schema_name: ClassVar[str] = "castline.streams.StreamHeartbeat"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    session_id: str


@dataclass(frozen=True, kw_only=True)
class StreamEnded(Event):
    """The live session ended: the publisher stopped, or reconciliation found it gone."""

    schema_name: ClassVar[str] = "castline.streams.StreamEnded"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    session_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class PublishRejected(Event):
    """Someone tried to publish and was refused (wrong key, already live)."""

    schema_name: ClassVar[str] = "castline.streams.PublishRejected"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    reason: str
    client_id: str
    address: str


@dataclass(frozen=True, kw_only=True)
class ChannelSuspended(Event):
    """A platform admin banned the channel from streaming; a live session ends with it."""

    schema_name: ClassVar[str] = "castline.streams.ChannelSuspended"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    reason: str
    by_user_id: str


@dataclass(frozen=True, kw_only=True)
class ChannelReinstated(Event):
    """The channel may stream again."""

    schema_name: ClassVar[str] = "castline.streams.ChannelReinstated"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    by_user_id: str
