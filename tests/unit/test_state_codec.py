"""The channel state survives the table's JSON round trip unchanged."""

from __future__ import annotations

import json

from processors.deciders.channels import ChannelState
from processors.deciders.chat_moderation import ChatModes
from processors.deciders.decisions import RememberedOutcome
from processors.deciders.streams import LiveSession
from processors.state_codec import dump_state, load_state


def test_a_full_state_round_trips_through_json() -> None:
    state = ChannelState(
        exists=True, title="speedrun", category="games",
        recent=(RememberedOutcome("c1", event_ids=("e1",), positions=("chat/3/9",)),
                RememberedOutcome("c2", "rate_limited", "wait", None, retry_after_s=1.5)),
        owner_id="u1", moderators=("u2",), key_hash="h", live=LiveSession("s1", "k1"),
        tags=("any%",), language="en", suspended=False,
        chat_recent={"u3": (1.0, 2.5)}, chat_bans={"u4": -1},
        chat_modes=ChatModes(slow_mode_s=3, followers_only_s=0, blocked_terms=("spoiler",)),
    )
    assert load_state(json.loads(json.dumps(dump_state(state)))) == state


def test_an_empty_state_round_trips_through_json() -> None:
    assert load_state(json.loads(json.dumps(dump_state(ChannelState())))) == ChannelState()
