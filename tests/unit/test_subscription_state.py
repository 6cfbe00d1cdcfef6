"""A channel's subscription state survives PostgreSQL's JSON round trip unchanged, and states
stored in earlier shapes still load."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from processors.deciders.decisions import RememberedOutcome
from processors.deciders.subscriptions import Membership, SubscriptionState
from processors.subscription_state import dump_subscriptions, load_subscriptions

ANCHOR = datetime(2025, 1, 31, 12, 0, 0, 250_000, tzinfo=UTC)
STATE = SubscriptionState(
    members={"fan": Membership("s1", "fan", 1000, ANCHOR, 2, "pm_ok"),
             "friend": Membership("s2", "friend", 2000, ANCHOR, 0, None, cancelled=True)},
    recent=(RememberedOutcome("c1", event_ids=("e1",), positions=("subscriptions/1/2",)),),
    charges=("ch_1",),
)
FAN_STORED = {"subscription_id": "s1", "user_id": "fan", "tier": 1000,
              "anchor": "2025-01-31T12:00:00.250000+00:00", "period": 2,
              "payment_method": "pm_ok"}
# STATE as the subscription decider has stored it (anchors by datetime.isoformat).
STORED: dict[str, Any] = {
    "members": {"fan": {**FAN_STORED, "cancelled": False},
                "friend": {"subscription_id": "s2", "user_id": "friend", "tier": 2000,
                           "anchor": "2025-01-31T12:00:00.250000+00:00", "period": 0,
                           "payment_method": None, "cancelled": True}},
    "recent": [{"command_id": "c1", "error": None, "message": None, "field": None,
                "event_ids": ["e1"], "positions": ["subscriptions/1/2"],
                "retry_after_s": None}],
    "charges": ["ch_1"],
}


def test_subscriptions_round_trip_through_json() -> None:
    stored = json.loads(json.dumps(dump_subscriptions(STATE)))
    assert load_subscriptions(stored) == STATE
    assert load_subscriptions(None) == SubscriptionState()


def test_anchors_are_stored_as_iso_8601_text_and_read_back_in_their_zone() -> None:
    stored = dump_subscriptions(STATE)
    assert datetime.fromisoformat(stored["members"]["fan"]["anchor"]) == ANCHOR
    elsewhere = datetime(2025, 3, 1, 9, tzinfo=timezone(timedelta(hours=2)))
    member = Membership("s3", "u", 1000, elsewhere, 0, "pm")
    [loaded] = load_subscriptions(dump_subscriptions(
        SubscriptionState(members={"u": member}))).members.values()
    assert (loaded.anchor, loaded.anchor.utcoffset()) == (elsewhere, timedelta(hours=2))


def test_a_state_stored_with_isoformat_anchors_loads() -> None:
    assert load_subscriptions(STORED) == STATE


def test_a_membership_stored_before_cancelling_was_kept_loads_not_cancelled() -> None:
    stored = {**STORED, "members": {"fan": FAN_STORED}}
    assert load_subscriptions(stored).members["fan"] == STATE.members["fan"]
