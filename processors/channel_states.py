"""The channel decider's states in PostgreSQL, as JSON (see state_codec)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec
import psycopg

from processors.deciders.channels import ChannelState
from processors.state_codec import load_state

# The states as state_codec.dump_state gives them, encoded straight from the dataclasses.
CHANNEL_STATES = msgspec.json.Encoder()


def load_states(conn: psycopg.Connection, channels: Iterable[str]) -> dict[str, ChannelState]:
    """The stored state of each channel; a channel never stored gets the empty state."""
    wanted = sorted(set(channels))
    rows = conn.execute("SELECT channel, state FROM channel_decider_states "
                        "WHERE channel = ANY(%s)", (wanted,)).fetchall()
    stored = {channel: load_state(state) for channel, state in rows}
    return {channel: stored.get(channel, ChannelState()) for channel in wanted}


def store_states(conn: psycopg.Connection, states: Mapping[str, ChannelState]) -> None:
    """One JSON object of channel -> state: passing a text[] instead costs more than the
    encoding itself (psycopg quotes every element of an array parameter). msgspec encodes the
    dataclasses directly, several times faster than building dicts for json.dumps."""
    if not states:
        return
    document = CHANNEL_STATES.encode({channel: states[channel] for channel in sorted(states)})
    conn.execute(
        "INSERT INTO channel_decider_states (channel, state) "
        "SELECT key, value FROM jsonb_each(%s::jsonb) "
        "ON CONFLICT (channel) DO UPDATE SET state = EXCLUDED.state, updated_at = now()",
        (document.decode(),),
    )
