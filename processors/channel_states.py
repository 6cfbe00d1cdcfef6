"""The channel decider's states in PostgreSQL, as JSON (see state_codec)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import psycopg

from processors.deciders.channels import ChannelState
from processors.state_codec import dump_state, load_state


def load_states(conn: psycopg.Connection, channels: Iterable[str]) -> dict[str, ChannelState]:
    """The stored state of each channel; a channel never stored gets the empty state."""
    wanted = sorted(set(channels))
    rows = conn.execute("SELECT channel, state FROM channel_decider_states "
                        "WHERE channel = ANY(%s)", (wanted,)).fetchall()
    stored = {channel: load_state(state) for channel, state in rows}
    return {channel: stored.get(channel, ChannelState()) for channel in wanted}


def store_states(conn: psycopg.Connection, states: Mapping[str, ChannelState]) -> None:
    """One JSON object of channel -> state: passing a text[] instead costs more than the
    encoding itself (psycopg quotes every element of an array parameter)."""
    if not states:
        return
    document = json.dumps({channel: dump_state(states[channel]) for channel in sorted(states)})
    conn.execute(
        "INSERT INTO channel_decider_states (channel, state) "
        "SELECT key, value FROM jsonb_each(%s::jsonb) "
        "ON CONFLICT (channel) DO UPDATE SET state = EXCLUDED.state, updated_at = now()",
        (document,),
    )
