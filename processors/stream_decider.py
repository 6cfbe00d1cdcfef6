"""Stream keys and the live session: one live session per channel, decided per channel."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from uuid import NAMESPACE_URL, uuid5

from events.base import Event
from events.stream_commands import BeatStream, EndStream, RotateStreamKey, StartStream
from events.streams import (
    PublishRejected,
    StreamEnded,
    StreamHeartbeat,
    StreamKeyRotated,
    StreamStarted,
)
from processors.decisions import Rejected

StreamCommand = RotateStreamKey | StartStream | BeatStream | EndStream


@dataclass(frozen=True)
class LiveSession:
    session_id: str
    client_id: str


def rotate_key(command: RotateStreamKey) -> list[Event]:
    return [StreamKeyRotated(channel=command.channel, key_hash=command.key_hash,
                             by_user_id=command.actor_id)]


def start(key_hash: str | None, live: LiveSession | None, command: StartStream
          ) -> list[Event] | Rejected:
    """The key must match (compared in constant time) and no other session may be live."""
    def refused(reason: str, message: str) -> Rejected:
        attempt = PublishRejected(channel=command.channel, reason=reason,
                                  client_id=command.client_id, address=command.address)
        return Rejected(reason, message, events=(attempt,))

    if key_hash is None or not hmac.compare_digest(key_hash, command.key_hash):
        return refused("wrong_key", "the stream key is not this channel's")
    if live is not None and live.client_id != command.client_id:
        return refused("already_live", "the channel is already live from another publisher")
    if live is not None:
        return []
    session_id = str(uuid5(NAMESPACE_URL, f"castline:session:{command.command_id}"))
    return [StreamStarted(channel=command.channel, session_id=session_id,
                          client_id=command.client_id, address=command.address)]


def beat(live: LiveSession | None, command: BeatStream) -> list[Event] | Rejected:
    if live is None or live.client_id != command.client_id:
        return Rejected("session_not_found", "this publisher's session is not the live one")
    return [StreamHeartbeat(channel=command.channel, session_id=live.session_id)]


def end(live: LiveSession | None, command: EndStream) -> list[Event]:
    """Only the live publisher's own end counts: a refused second publisher also reports one."""
    if live is None or live.client_id != command.client_id:
        return []
    return [StreamEnded(channel=command.channel, session_id=live.session_id,
                        reason=command.reason)]
