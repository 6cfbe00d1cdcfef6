"""The wallet decider: purchases, cheers held until the channel answers, donations."""

from __future__ import annotations

from uuid import uuid4

import pytest

from events.base import Event
from events.monetization import (
    BitsCheered,
    BitsPurchased,
    BuyBits,
    CheerBits,
    CheerPostDecided,
    DonationMade,
    DonationReviewed,
    MakeDonation,
)
from payments.money import Money
from payments.provider import Charged, Declined
from processors.deciders import wallets as wallet
from processors.deciders.decisions import Rejected
from processors.deciders.wallets import WalletRules, WalletState
from processors.wallet_state import dump_wallet, load_wallet

RULES = WalletRules(donation_limits={"USD": (100, 10_000)}, donation_platform_fee_bps=500)
USER = "user-1"


def bought(bits: int, state: WalletState | None = None) -> WalletState:
    command = BuyBits(user_id=USER, bits=bits, price_minor=bits + 40, currency="USD",
                      payment_method="pm")
    charged = Charged(f"ch_{uuid4().hex}", Money(bits + 40, "USD"), Money(34, "USD"))
    events = wallet.purchase_charged(state or WalletState(), command, charged, RULES, "sandbox")
    assert isinstance(events, list)
    return applied(state or WalletState(), events)


def applied(state: WalletState, events: list[Event]) -> WalletState:
    for event in events:
        state = wallet.evolve(state, event)
    return state


def cheer_of(bits: int) -> CheerBits:
    return CheerBits(user_id=USER, channel="chan", message_id=str(uuid4()), bits=bits,
                     username="u", display_name="U", text=f"cheer{bits} hi")


def test_a_purchase_credits_the_bits_and_records_its_split() -> None:
    command = BuyBits(user_id=USER, bits=100, price_minor=140, currency="USD",
                      payment_method="pm")
    request = wallet.request_purchase(command)
    assert not isinstance(request, Rejected)
    assert (request.idempotency_key, request.amount) == (str(command.command_id),
                                                         Money(140, "USD"))
    charged = Charged("ch_1", Money(140, "USD"), Money(34, "USD"))
    decided = wallet.purchase_charged(WalletState(), command, charged, RULES, "sandbox")
    assert isinstance(decided, list)
    [event] = decided
    assert isinstance(event, BitsPurchased)
    assert (event.bits, event.amount_minor, event.processor_fee_minor,
            event.bits_value_minor) == (100, 140, 34, 100)
    again = wallet.purchase_charged(WalletState(), command, charged, RULES, "sandbox")
    assert isinstance(again, list)
    assert again[0].event_id == event.event_id  # decided again after a crash: the same event
    assert wallet.evolve(WalletState(), event).balance == 100


def test_a_declined_card_is_a_rejection_and_credits_nothing() -> None:
    command = BuyBits(user_id=USER, bits=100, price_minor=140, currency="USD",
                      payment_method="pm")
    result = wallet.purchase_charged(WalletState(), command,
                                     Declined("card_declined", "declined"), RULES, "sandbox")
    assert result == Rejected("card_declined", "declined", "card_number")


def test_a_charge_already_credited_is_not_credited_again() -> None:
    state = bought(100)
    command = BuyBits(user_id=USER, bits=100, price_minor=140, currency="USD",
                      payment_method="pm")
    charged = Charged(state.charges[-1], Money(140, "USD"), Money(34, "USD"))
    assert wallet.purchase_charged(state, command, charged, RULES, "sandbox") == []


@pytest.mark.parametrize(("bits", "price"), [(0, 140), (100, 0), (-5, 140)])
def test_a_purchase_of_nothing_or_for_nothing_is_refused(bits: int, price: int) -> None:
    command = BuyBits(user_id=USER, bits=bits, price_minor=price, currency="USD",
                      payment_method="pm")
    assert isinstance(wallet.request_purchase(command), Rejected)


def test_a_cheer_holds_its_bits_until_the_channel_posts_then_spends_them() -> None:
    state = bought(150)
    command = cheer_of(100)
    held = wallet.cheer(state, command, RULES)
    assert not isinstance(held, Rejected)
    state, post = held
    assert (state.balance, state.available, post.bits) == (150, 50, 100)
    assert isinstance(wallet.cheer(state, cheer_of(51), RULES), Rejected)  # held bits are gone
    reply = CheerPostDecided(user_id=USER, channel="chan", message_id=command.message_id,
                             posted=True)
    decided = wallet.cheer_decided(state, reply, RULES)
    assert decided is not None
    state, command_id, events = decided
    assert command_id == str(command.command_id)
    assert isinstance(events, list)
    [spent] = events
    assert isinstance(spent, BitsCheered)
    assert (spent.creator_share_minor, spent.platform_share_minor) == (100, 0)
    state = applied(state, events)
    assert (state.balance, state.available, state.holds) == (50, 50, {})
    assert wallet.cheer_decided(state, reply, RULES) is None  # a redelivered answer


def test_a_refused_cheer_message_hands_the_bits_back() -> None:
    state = bought(100)
    command = cheer_of(100)
    held = wallet.cheer(state, command, RULES)
    assert not isinstance(held, Rejected)
    reply = CheerPostDecided(user_id=USER, channel="chan", message_id=command.message_id,
                             posted=False, error="banned", message="you are banned")
    decided = wallet.cheer_decided(held[0], reply, RULES)
    assert decided is not None
    state, _, refusal = decided
    assert refusal == Rejected("banned", "you are banned")
    assert (state.balance, state.available) == (100, 100)


def test_cheering_more_than_the_balance_is_refused() -> None:
    result = wallet.cheer(bought(99), cheer_of(100), RULES)
    assert isinstance(result, Rejected)
    assert result.error == "insufficient_bits"


@pytest.mark.parametrize("bits", [0, RULES.max_cheer_bits + 1])
def test_cheers_out_of_range_are_refused(bits: int) -> None:
    result = wallet.cheer(bought(100), cheer_of(bits), RULES)
    assert isinstance(result, Rejected)
    assert result.error == "invalid_cheer"


def test_a_redelivered_cheer_asks_the_channel_again_with_the_same_command() -> None:
    command = cheer_of(10)
    first = wallet.cheer(bought(10), command, RULES)
    assert not isinstance(first, Rejected)
    again = wallet.cheer(first[0], command, RULES)
    assert not isinstance(again, Rejected)
    assert again[1].command_id == first[1].command_id
    assert again[0].available == 0


def donation(amount: int, currency: str = "USD") -> MakeDonation:
    return MakeDonation(user_id=USER, username="u", display_name="U", channel="chan",
                        amount_minor=amount, currency=currency, message="gg",
                        payment_method="pm")


@pytest.mark.parametrize(("amount", "currency", "error"), [
    (99, "USD", "invalid_amount"), (10_001, "USD", "invalid_amount"),
    (500, "JPY", "unsupported_currency")])
def test_donations_out_of_limits_are_refused(amount: int, currency: str, error: str) -> None:
    result = wallet.donate(WalletState(), donation(amount, currency), RULES)
    assert isinstance(result, Rejected)
    assert result.error == error


def test_a_donation_is_reviewed_then_charged_and_split() -> None:
    command = donation(1000)
    asked = wallet.donate(WalletState(), command, RULES)
    assert not isinstance(asked, Rejected)
    state, review = asked
    assert review.donation_id == str(command.command_id)
    reply = DonationReviewed(user_id=USER, channel="chan", donation_id=review.donation_id,
                             approved=True)
    reviewed = wallet.donation_reviewed(state, reply)
    assert reviewed is not None
    pending, request = reviewed
    assert not isinstance(request, Rejected)
    charged = Charged("ch_d", Money(1000, "USD"), Money(59, "USD"))
    decided = wallet.donation_charged(state, pending, charged, RULES, "sandbox")
    assert isinstance(decided, list)
    [made] = decided
    assert isinstance(made, DonationMade)
    assert (made.processor_fee_minor, made.platform_fee_minor,
            made.creator_share_minor) == (59, 50, 891)
    assert wallet.evolve(state, made).donations == {}


def test_a_refused_donation_message_is_refused_before_any_charge() -> None:
    asked = wallet.donate(WalletState(), donation(1000), RULES)
    assert not isinstance(asked, Rejected)
    reply = DonationReviewed(user_id=USER, channel="chan", donation_id=asked[1].donation_id,
                             approved=False, error="blocked_term", message="blocked")
    reviewed = wallet.donation_reviewed(asked[0], reply)
    assert reviewed is not None
    assert reviewed[1] == Rejected("blocked_term", "blocked", "message")


def test_the_state_survives_its_table_encoding() -> None:
    state = bought(100)
    held = wallet.cheer(state, cheer_of(10), RULES)
    assert not isinstance(held, Rejected)
    asked = wallet.donate(held[0], donation(500), RULES)
    assert not isinstance(asked, Rejected)
    assert load_wallet(dump_wallet(asked[0])) == asked[0]
