"""Money arithmetic, the sandbox's test cards, cheer parsing and the ledger's transactions."""

from __future__ import annotations

import pytest

from events.monetization import BitsCheered, BitsPurchased, DonationMade
from gateways.cheers import cheered_bits
from payments.money import InvalidMoney, Money, share
from payments.provider import CardRefused
from payments.sandbox import (
    DECLINE,
    FAIL_TRANSIENTLY,
    SUCCEED,
    Fees,
    behaviour_of,
    sandbox_payment_method,
)
from projections.ledger_entries import UnbalancedTransaction, transaction_of


@pytest.mark.parametrize(("amount", "currency"), [(1.5, "USD"), (True, "USD"), (1, "usd"),
                                                  (1, "DOLLARS")])
def test_money_is_whole_minor_units_of_an_iso_currency(amount: object, currency: str) -> None:
    with pytest.raises(InvalidMoney):
        Money(amount, currency)  # type: ignore[arg-type]


def test_shares_round_down_and_refuse_impossible_rates() -> None:
    assert share(999, 500) == 49
    with pytest.raises(InvalidMoney):
        share(100, 10_001)


def test_sandbox_fees_are_a_rate_plus_a_fixed_part_never_more_than_the_charge() -> None:
    fees = Fees(290, 30)
    assert fees.of(Money(1000, "USD")) == Money(59, "USD")
    assert fees.of(Money(20, "USD")) == Money(20, "USD")


@pytest.mark.parametrize(("number", "behaviour"), [
    ("4242424242424242", SUCCEED), ("4242 4242 4242 4242", SUCCEED),
    ("4000000000000002", DECLINE), ("4000000000000119", FAIL_TRANSIENTLY)])
def test_test_cards_become_tokens_that_say_what_the_sandbox_does(number: str,
                                                                 behaviour: str) -> None:
    method = sandbox_payment_method(number)
    assert method.last4 == number[-4:]
    assert number.replace(" ", "") not in method.token
    assert behaviour_of(method.token) == behaviour


def test_the_sandbox_refuses_cards_that_are_not_test_cards() -> None:
    with pytest.raises(CardRefused):
        sandbox_payment_method("4111111111111112")
    assert behaviour_of("pm_elsewhere_4242") is None


@pytest.mark.parametrize(("text", "bits"), [
    ("cheer100 nice play", 100), ("nice Cheer5 and cheer10", 15), ("no cheers here", None),
    ("cheers100", None), ("cheer0", 0), ("cheer99999999999999", 10**9)])
def test_cheermotes_are_counted(text: str, bits: int | None) -> None:
    assert cheered_bits(text) == bits


def test_every_money_event_is_a_transaction_that_sums_to_zero() -> None:
    events = [
        BitsPurchased(user_id="v", bits=100, amount_minor=140, currency="USD",
                      bits_value_minor=100, processor_fee_minor=34, charge_id="c",
                      provider="sandbox", command_id="x"),
        BitsCheered(user_id="v", channel="ch", message_id="m", bits=100, currency="USD",
                    creator_share_minor=80, platform_share_minor=20),
        DonationMade(user_id="v", username="v", display_name="V", channel="ch",
                     donation_id="d", amount_minor=1000, currency="EUR", message="",
                     processor_fee_minor=59, platform_fee_minor=50, creator_share_minor=891,
                     charge_id="c2", provider="sandbox"),
    ]
    for event in events:
        transaction = transaction_of(event)
        assert transaction is not None
        assert sum(amount for _, amount in transaction.entries) == 0
        assert all(amount != 0 for _, amount in transaction.entries)


def test_an_event_whose_parts_do_not_add_up_is_refused() -> None:
    wrong = DonationMade(user_id="v", username="v", display_name="V", channel="ch",
                         donation_id="d", amount_minor=1000, currency="EUR", message="",
                         processor_fee_minor=59, platform_fee_minor=50,
                         creator_share_minor=900, charge_id="c", provider="sandbox")
    with pytest.raises(UnbalancedTransaction):
        transaction_of(wrong)
