"""Live sessions beside the channels read model: who is live, since when, and refusals."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.base import Message
from events.streams import (
    ChannelReinstated,
    ChannelSuspended,
    PublishRejected,
    StreamEnded,
    StreamHeartbeat,
    StreamStarted,
)

STREAM_EVENTS = (StreamStarted, StreamHeartbeat, StreamEnded, PublishRejected, ChannelSuspended,
                 ChannelReinstated)

STARTED = (
    "INSERT INTO streams (session_id, channel, started_at, last_heartbeat_at, client_id) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)
GO_LIVE = "UPDATE channels SET live_session_id = %s WHERE channel = %s"
BEAT = (
    "UPDATE streams SET last_heartbeat_at = greatest(last_heartbeat_at, %s) "
    "WHERE session_id = %s"
)
ENDED = (
    "UPDATE streams SET ended_at = %s, end_reason = %s WHERE session_id = %s AND ended_at IS NULL"
)
GO_OFFLINE = (
    "UPDATE channels SET live_session_id = NULL WHERE channel = %s AND live_session_id = %s"
)
SUSPENSION = "UPDATE channels SET suspended = %s WHERE channel = %s"
REJECTED = (
    "INSERT INTO publish_rejections (event_id, channel, reason, client_id, address, rejected_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)


def apply_streams(conn: psycopg.Connection, messages: Sequence[Message]) -> None:
    """In log order and pipelined: sessions are few and each event must see the one before."""
    relevant = [m for m in messages if isinstance(m, STREAM_EVENTS)]
    if not relevant:
        return
    with conn.pipeline(), conn.cursor() as cur:
        for event in relevant:
            if isinstance(event, StreamStarted):
                cur.execute(STARTED, (event.session_id, event.channel, event.occurred_at,
                                      event.occurred_at, event.client_id))
                cur.execute(GO_LIVE, (event.session_id, event.channel))
            elif isinstance(event, StreamHeartbeat):
                cur.execute(BEAT, (event.occurred_at, event.session_id))
            elif isinstance(event, StreamEnded):
                cur.execute(ENDED, (event.occurred_at, event.reason, event.session_id))
                cur.execute(GO_OFFLINE, (event.channel, event.session_id))
            elif isinstance(event, ChannelSuspended | ChannelReinstated):
                cur.execute(SUSPENSION, (isinstance(event, ChannelSuspended), event.channel))
            else:
                cur.execute(REJECTED, (event.event_id, event.channel, event.reason,
                                       event.client_id, event.address, event.occurred_at))
