"""The channel state survives PostgreSQL's JSON round trip unchanged, and states stored in
earlier shapes still load."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from processors.deciders.ads import AdBreak, AdState
from processors.deciders.channels import ChannelState
from processors.deciders.chat_moderation import ChatModes
from processors.deciders.decisions import RememberedOutcome
from processors.deciders.shoutouts import Shoutouts
from processors.deciders.streams import LiveSession
from processors.state_codec import dump_state, load_state

SHOUTED = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
STATE = ChannelState(
    exists=True, title="speedrun", category="games",
    recent=(RememberedOutcome("c1", event_ids=("e1",), positions=("chat/3/9",)),
            RememberedOutcome("c2", "rate_limited", "wait", None, retry_after_s=1.5)),
    owner_id="u1", moderators=("u2",), key_hash="h", live=LiveSession("s1", "k1"),
    tags=("any%",), language="en", suspended=False,
    chat_recent={"u3": (1.0, 2.5)}, chat_bans={"u4": -1},
    chat_modes=ChatModes(slow_mode_s=3, followers_only_s=0, blocked_terms=("spoiler",)),
    ads=AdState(live_since=10.0, every_min=15, breaks=(
        AdBreak("b1", 100.0, 160.0, 2500, "USD", 5500, 300, impressions=7, opened=99.5),)),
    shoutouts=Shoutouts(SHOUTED, {"u5": SHOUTED}),
)
OUTCOME_C1 = {"command_id": "c1", "error": None, "message": None, "field": None,
              "event_ids": ["e1"], "positions": ["chat/3/9"], "retry_after_s": None}
AD_BREAK_B1 = {"break_id": "b1", "started": 100.0, "ends": 160.0, "cpm_minor": 2500,
               "currency": "USD", "creator_share_bps": 5500, "cooldown_s": 300}
# STATE as this decider has stored it since ad breaks count their impressions.
STORED: dict[str, Any] = {
    "exists": True, "title": "speedrun", "category": "games",
    "recent": [OUTCOME_C1, {"command_id": "c2", "error": "rate_limited", "message": "wait",
                            "field": None, "event_ids": [], "positions": [],
                            "retry_after_s": 1.5}],
    "owner_id": "u1", "moderators": ["u2"], "key_hash": "h",
    "live": {"session_id": "s1", "client_id": "k1"}, "tags": ["any%"], "language": "en",
    "suspended": False, "chat_recent": {"u3": [1.0, 2.5]}, "chat_bans": {"u4": -1},
    "chat_modes": {"slow_mode_s": 3, "followers_only_s": 0, "subscriber_only": False,
                   "emote_only": False, "blocked_terms": ["spoiler"]},
    "ads": {"live_since": 10.0, "every_min": 15, "schedule_duration_s": 60,
            "breaks": [{**AD_BREAK_B1, "impressions": 7, "opened": 99.5}]},
    "raid": None,
    "shoutouts": {"last_at": "2026-12-06T12:00:00Z",
                  "targets": {"u5": "2026-12-06T12:00:00Z"}},
}


def through_json(document: Any) -> Any:
    return json.loads(json.dumps(document))


def test_a_full_state_round_trips_through_json() -> None:
    assert load_state(through_json(dump_state(STATE))) == STATE


def test_an_empty_state_round_trips_through_json() -> None:
    assert load_state(through_json(dump_state(ChannelState()))) == ChannelState()


def test_a_channel_never_stored_has_the_empty_state() -> None:
    assert load_state(None) == ChannelState()


def test_a_state_is_stored_in_the_shape_stored_states_have() -> None:
    assert through_json(dump_state(STATE)) == STORED
    assert load_state(STORED) == STATE


def test_a_state_stored_before_shoutouts_has_none() -> None:
    before = {k: v for k, v in STORED.items() if k != "shoutouts"}
    assert load_state(before) == replace(STATE, shoutouts=Shoutouts())


def test_a_state_stored_before_the_optional_fields_loads_with_their_defaults() -> None:
    stored = {"exists": True, "title": "t", "category": "c",
              "recent": [{"command_id": "c1", "event_ids": ["e1"], "positions": ["p"]}]}
    assert load_state(stored) == ChannelState(True, "t", "c", (
        RememberedOutcome("c1", event_ids=("e1",), positions=("p",)),))


@pytest.mark.parametrize("live", [None, {}])
def test_a_state_stored_with_no_live_session_loads_without_one(live: Any) -> None:
    assert load_state({**STORED, "live": live}).live is None


def test_a_state_stored_with_null_ads_loads_the_default_ads() -> None:
    assert load_state({**STORED, "ads": None}).ads == AdState()


def test_chat_modes_stored_before_blocked_terms_load_with_none() -> None:
    modes = {"slow_mode_s": 3, "followers_only_s": None, "subscriber_only": True,
             "emote_only": False}
    assert load_state({**STORED, "chat_modes": modes}).chat_modes == ChatModes(
        3, None, True, False, ())


def test_ad_breaks_stored_with_viewer_lists_load_as_their_count() -> None:
    listed = {**AD_BREAK_B1, "viewers": ["a", "b", "c"]}
    ads = {**STORED["ads"], "breaks": [listed, {**AD_BREAK_B1, "break_id": "b2",
                                                "impressions": 4}]}
    first, second = load_state({**STORED, "ads": ads}).ads.breaks
    assert (first.impressions, first.opened) == (3, None)
    assert (second.break_id, second.impressions) == ("b2", 4)
