"""Refunding a bits purchase, decided by the buyer's wallet (pure): only while its bits are
unspent, at most once. The provider is called between the two steps, with a key of the
purchase's, so a purchase is refunded at most once whichever admin key asked."""

from __future__ import annotations

from dataclasses import dataclass

from events.monetization import BitsRefunded, RefundBits
from payments.money import Money
from payments.provider import Declined, RefundResult
from processors.deciders.decisions import Rejected
from processors.deciders.derived import derived_id
from processors.deciders.wallets import Decision, Purchase, WalletState


@dataclass(frozen=True)
class RefundRequest:
    charge_id: str
    amount: Money
    idempotency_key: str


def request_refund(state: WalletState, command: RefundBits) -> RefundRequest | Rejected:
    purchase = state.purchases.get(command.purchase_id)
    if purchase is None:
        return Rejected("purchase_not_found", "no such bits purchase of this user")
    if purchase.refunded:
        return Rejected("already_refunded", "this purchase was refunded already")
    if purchase.bits > state.available:
        return Rejected("bits_spent", f"the purchase's {purchase.bits} bits are no longer all "
                        f"in the wallet ({state.available} unspent)")
    return RefundRequest(purchase.charge_id, Money(purchase.amount_minor, purchase.currency),
                         f"refund:{command.purchase_id}")


def refund_made(state: WalletState, command: RefundBits, result: RefundResult,
                provider: str) -> Decision:
    if isinstance(result, Declined):
        return Rejected(f"refund_{result.code}", result.message)
    purchase: Purchase = state.purchases[command.purchase_id]
    returned = min(result.fee_returned.amount_minor, purchase.processor_fee_minor)
    return [BitsRefunded(
        event_id=derived_id("bits-refunded", command.purchase_id),
        occurred_at=command.issued_at, user_id=command.user_id,
        purchase_id=command.purchase_id, charge_id=purchase.charge_id,
        refund_id=result.refund_id, bits=purchase.bits,
        amount_minor=result.amount.amount_minor, currency=result.amount.currency,
        bits_value_minor=purchase.bits_value_minor,
        processor_fee_kept_minor=purchase.processor_fee_minor - returned,
        processor_fee_returned_minor=returned, provider=provider, admin_id=command.admin_id,
        command_id=str(command.command_id))]
