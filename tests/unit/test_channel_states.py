"""The channel decider stores each state as the state codec dumps it, encoded straight from
the dataclasses; other deciders' documents and outcomes keep their shape too."""

from __future__ import annotations

import json

from processors.channel_states import CHANNEL_STATES
from processors.decider_states import DOCUMENTS
from processors.deciders.ads import AdBreak, AdState
from processors.deciders.channels import ChannelState
from processors.deciders.chat_moderation import ChatModes
from processors.deciders.decisions import RememberedOutcome
from processors.deciders.streams import LiveSession
from processors.state_codec import dump_state, load_state

STATE = ChannelState(
    exists=True, title="speedrun", category="games",
    recent=(RememberedOutcome("c1", event_ids=("e1",), positions=("chat/3/9",)),
            RememberedOutcome("c2", "rate_limited", "wait", None, retry_after_s=1.5)),
    owner_id="u1", moderators=("u2",), key_hash="h", live=LiveSession("s1", "k1"),
    tags=("any%",), language="en", chat_recent={"u3": (1.0, 2.5)}, chat_bans={"u4": -1},
    chat_modes=ChatModes(slow_mode_s=3, blocked_terms=("spoiler",)),
    ads=AdState(live_since=10.0, every_min=15, breaks=(
        AdBreak("b1", 100.0, 160.0, 2500, "USD", 5500, 300, impressions=7, opened=99.5),)),
)


def test_a_stored_state_is_the_codecs_document_and_loads_back() -> None:
    stored = json.loads(CHANNEL_STATES.encode({"speedrun": STATE}))
    assert stored == {"speedrun": json.loads(json.dumps(dump_state(STATE)))}
    assert load_state(stored["speedrun"]) == STATE


def test_an_outcome_is_stored_as_its_fields() -> None:
    outcome = RememberedOutcome("c2", "rate_limited", "wait", None, retry_after_s=1.5)
    stored = json.loads(DOCUMENTS.encode({"c2": outcome}))
    assert RememberedOutcome.load(stored["c2"]) == outcome
    assert stored["c2"] == json.loads(json.dumps(vars(outcome)))
