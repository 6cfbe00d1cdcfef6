"""Stream keys and the live session: one live session per channel, decided per channel."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from uuid import NAMESPACE_URL, uuid5

from events.base import Event
from events.stream_commands import (
    BeatStream,
    EndStream,
    ReinstateChannel,
    RotateStreamKey,
    StartStream,
    SuspendChannel,
)
from events.streams import (
    ChannelReinstated,
    ChannelSuspended,
    PublishRejected,
    StreamEnded,
    StreamHeartbeat,
    StreamKeyRotated,
    StreamStarted,
)
from processors.deciders.decisions import Rejected

StreamCommand = (
    RotateStreamKey | StartStream | BeatStream | EndStream | SuspendChannel | ReinstateChannel
)


@dataclass(frozen=True)
class LiveSession:
    session_id: str
    client_id: str


def rotate_key(command: RotateStreamKey) -> list[Event]:
    return [StreamKeyRotated(channel=command.channel, key_hash=command.key_hash,
                             by_user_id=command.actor_id)]


def start(key_hash: str | None, live: LiveSession | None, command: StartStream,
          suspended: bool = False) -> list[Event] | Rejected:
    """The key must match (compared in constant time), the channel must not be suspended and
    no other session may be live."""
    def refused(reason: str, message: str) -> Rejected:
        attempt = PublishRejected(channel=command.channel, reason=reason,
                                  client_id=command.client_id, address=command.address)
        return Rejected(reason, message, events=(attempt,))

    if key_hash is None or not hmac.compare_digest(key_hash, command.key_hash):
        return refused("wrong_key", "the stream key is not this channel's")
    if suspended:
        return refused("channel_banned", "the channel is suspended from streaming")
    if live is not None and live.client_id != command.client_id:
        return refused("already_live", "the channel is already live from another publisher")
    if live is not None:
        return []
    session_id = str(uuid5(NAMESPACE_URL, f"castline:session:{command.command_id}"))
    return [StreamStarted(channel=command.channel, session_id=session_id,
                          client_id=command.client_id, address=command.address)]


def beat(live: LiveSession | None, command: BeatStream) -> list[Event] | Rejected:
    """A publisher whose session is not the live one (ended, suspended) is told to leave."""
    if live is None or live.client_id != command.client_id:
        return Rejected("session_not_found", "this publisher's session is not the live one")
    return [StreamHeartbeat(channel=command.channel, session_id=live.session_id)]


def end(live: LiveSession | None, command: EndStream) -> list[Event]:
    """Only the live publisher's own end counts: a refused second publisher also reports one."""
    if live is None or live.client_id != command.client_id:
        return []
    return [StreamEnded(channel=command.channel, session_id=live.session_id,
                        reason=command.reason)]


def suspend(live: LiveSession | None, suspended: bool, command: SuspendChannel
            ) -> list[Event] | Rejected:
    if not command.actor_admin:
        return Rejected("forbidden", "only a platform admin may suspend a channel")
    if suspended:
        return []
    events: list[Event] = [ChannelSuspended(channel=command.channel, reason=command.reason,
                                            by_user_id=command.actor_id)]
    if live is not None:
        events.append(StreamEnded(channel=command.channel, session_id=live.session_id,
                                  reason="suspended"))
    return events


def reinstate(suspended: bool, command: ReinstateChannel) -> list[Event] | Rejected:
    if not command.actor_admin:
        return Rejected("forbidden", "only a platform admin may reinstate a channel")
    if not suspended:
        return []
    return [ChannelReinstated(channel=command.channel, by_user_id=command.actor_id)]
