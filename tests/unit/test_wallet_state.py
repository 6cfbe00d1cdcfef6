"""A wallet state survives PostgreSQL's JSON round trip unchanged, and states stored in earlier
shapes still load."""

from __future__ import annotations

import json
from typing import Any

from processors.deciders.decisions import RememberedOutcome
from processors.deciders.wallets import Hold, PendingDonation, Purchase, WalletState
from processors.wallet_state import dump_wallet, load_wallet

DONATION = PendingDonation("c2", "u1", "fan", "Fan", "chan", 500, "USD", "hi", "pm_ok", 1.5)
STATE = WalletState(
    balance=120, holds={"m1": Hold("c1", "chan", 30)}, donations={"d1": DONATION},
    recent=(RememberedOutcome("c1", event_ids=("e1",), positions=("monetization/0/4",)),),
    charges=("ch_1",), purchases={"e9": Purchase("ch_1", 100, 140, "USD", 100, 33)},
)
DONATION_STORED = {"command_id": "c2", "user_id": "u1", "username": "fan",
                   "display_name": "Fan", "channel": "chan", "amount_minor": 500,
                   "currency": "USD", "message": "hi", "payment_method": "pm_ok"}
PURCHASE_STORED = {"charge_id": "ch_1", "bits": 100, "amount_minor": 140, "currency": "USD",
                   "bits_value_minor": 100, "processor_fee_minor": 33}
# STATE as the wallet decider has stored it since purchases can be refunded.
STORED: dict[str, Any] = {
    "balance": 120, "holds": {"m1": {"command_id": "c1", "channel": "chan", "bits": 30}},
    "donations": {"d1": {**DONATION_STORED, "issued_at": 1.5}},
    "recent": [{"command_id": "c1", "error": None, "message": None, "field": None,
                "event_ids": ["e1"], "positions": ["monetization/0/4"],
                "retry_after_s": None}],
    "charges": ["ch_1"], "purchases": {"e9": {**PURCHASE_STORED, "refunded": False}},
}


def test_a_wallet_round_trips_through_json() -> None:
    assert load_wallet(json.loads(json.dumps(dump_wallet(STATE)))) == STATE
    assert load_wallet(json.loads(json.dumps(dump_wallet(WalletState())))) == WalletState()


def test_a_user_never_stored_has_the_empty_wallet() -> None:
    assert load_wallet(None) == WalletState()


def test_a_wallet_is_stored_in_the_shape_stored_wallets_have() -> None:
    assert json.loads(json.dumps(dump_wallet(STATE))) == STORED
    assert load_wallet(STORED) == STATE


def test_a_wallet_stored_before_purchases_were_kept_loads_with_none() -> None:
    stored = {k: v for k, v in STORED.items() if k != "purchases"}
    assert load_wallet(stored).purchases == {}


def test_donations_and_purchases_stored_before_their_later_fields_load_with_defaults() -> None:
    stored = {**STORED, "donations": {"d1": DONATION_STORED},
              "purchases": {"e9": PURCHASE_STORED}}
    wallet = load_wallet(stored)
    assert wallet.donations["d1"].issued_at is None
    assert wallet.purchases["e9"].refunded is False
