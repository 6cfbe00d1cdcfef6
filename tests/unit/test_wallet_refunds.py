"""Refunding a bits purchase: only unspent bits, at most once, a balanced reversal."""

from __future__ import annotations

from uuid import uuid4

from events.monetization import BitsCheered, BitsPurchased, BitsRefunded, BuyBits, RefundBits
from payments.money import Money
from payments.provider import Charged, Declined, Refunded
from processors.deciders import wallets as wallet
from processors.deciders.decisions import Rejected
from processors.deciders.wallet_refunds import RefundRequest, refund_made, request_refund
from processors.deciders.wallets import WalletRules, WalletState
from processors.wallet_state import dump_wallet, load_wallet
from projections.ledger_entries import transaction_of

USER = "user-1"
RULES = WalletRules()


def purchased(bits: int, state: WalletState) -> tuple[WalletState, BitsPurchased]:
    command = BuyBits(user_id=USER, bits=bits, price_minor=bits + 40, currency="USD",
                      payment_method="pm")
    charged = Charged(f"ch_{uuid4().hex}", Money(bits + 40, "USD"), Money(33, "USD"))
    [event] = wallet.purchase_charged(state, command, charged, RULES, "sandbox")  # type: ignore[misc]
    assert isinstance(event, BitsPurchased)
    return wallet.evolve(state, event), event


def refund_of(purchase: BitsPurchased) -> RefundBits:
    return RefundBits(user_id=USER, purchase_id=str(purchase.event_id), admin_id="admin")


def refunded(state: WalletState, command: RefundBits) -> tuple[WalletState, BitsRefunded]:
    request = request_refund(state, command)
    assert isinstance(request, RefundRequest)
    result = Refunded("re_1", request.charge_id, request.amount, Money(0, "USD"))
    [event] = refund_made(state, command, result, "sandbox")  # type: ignore[misc]
    assert isinstance(event, BitsRefunded)
    return wallet.evolve(state, event), event


def test_a_refund_takes_the_bits_back_and_returns_the_whole_price() -> None:
    state, purchase = purchased(500, WalletState())
    state, _ = purchased(100, state)
    command = refund_of(purchase)
    request = request_refund(state, command)
    assert request == RefundRequest(purchase.charge_id, Money(540, "USD"),
                                    f"refund:{purchase.event_id}")
    state, event = refunded(state, command)
    assert (state.balance, event.bits, event.amount_minor, event.bits_value_minor) == (
        100, 500, 540, 500)
    assert (event.processor_fee_kept_minor, event.processor_fee_returned_minor) == (33, 0)
    assert load_wallet(dump_wallet(state)) == state


def test_a_purchase_is_refunded_at_most_once() -> None:
    state, purchase = purchased(100, WalletState())
    state, _ = purchased(100, state)
    state, _ = refunded(state, refund_of(purchase))
    again = request_refund(state, refund_of(purchase))
    assert isinstance(again, Rejected)
    assert again.error == "already_refunded"


def test_spent_or_held_bits_cannot_be_refunded() -> None:
    state, purchase = purchased(100, WalletState())
    cheered = BitsCheered(user_id=USER, channel="c", message_id="m", bits=1, currency="USD",
                          creator_share_minor=1, platform_share_minor=0)
    spent = request_refund(wallet.evolve(state, cheered), refund_of(purchase))
    assert isinstance(spent, Rejected)
    assert spent.error == "bits_spent"
    held = wallet.Hold("cmd", "c", 50)
    holding = WalletState(balance=state.balance, holds={"m": held}, purchases=state.purchases)
    refused = request_refund(holding, refund_of(purchase))
    assert isinstance(refused, Rejected)
    assert refused.error == "bits_spent"


def test_an_unknown_purchase_and_a_declined_refund_are_refused() -> None:
    state, purchase = purchased(100, WalletState())
    unknown = request_refund(state, RefundBits(user_id=USER, purchase_id=str(uuid4()),
                                               admin_id="a"))
    assert isinstance(unknown, Rejected)
    assert unknown.error == "purchase_not_found"
    declined = refund_made(state, refund_of(purchase), Declined("charge_not_found", "no"),
                           "sandbox")
    assert isinstance(declined, Rejected)
    assert declined.error == "refund_charge_not_found"


def test_the_refund_reverses_the_purchase_and_the_platform_bears_the_kept_fee() -> None:
    state, purchase = purchased(500, WalletState())
    _, event = refunded(state, refund_of(purchase))
    bought, back = transaction_of(purchase), transaction_of(event)
    assert bought is not None
    assert back is not None
    assert back.source == "refund"
    assert sum(a for _, a in back.entries) == 0
    assert dict(back.entries) == {"external:cards": 540, f"viewer:{USER}": -500,
                                  "platform": -40}
    net = {account: dict(bought.entries).get(account, 0) + dict(back.entries).get(account, 0)
           for account in {*dict(bought.entries), *dict(back.entries)}}
    assert net == {"external:cards": 0, "processor": 33, f"viewer:{USER}": 0, "platform": -33}
