"""What Castline needs from a payment provider (a card processor), and how one is chosen.

A charge names an idempotency key: the provider charges at most once per key and answers a
repeated request with the first answer, as card processors' APIs do. The card number never
reaches Castline's log: the gateway turns it into the provider's payment-method token first
(in production a provider's client-side SDK does this and the gateway only sees the token).
A refund, like a charge, names an idempotency key and is made at most once per key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from payments.money import Money


class CardRefused(Exception):
    """A card the provider will not take at all (not a number it knows): bad input."""


class PaymentUnavailable(Exception):
    """The provider failed for now (network, processing error); the same key may be retried."""


@dataclass(frozen=True)
class PaymentMethod:
    token: str
    brand: str
    last4: str


@dataclass(frozen=True)
class ChargeRequest:
    idempotency_key: str
    payment_method: str
    amount: Money
    description: str


@dataclass(frozen=True)
class Charged:
    charge_id: str
    amount: Money
    fee: Money  # what the processor keeps


@dataclass(frozen=True)
class Declined:
    code: str  # e.g. "card_declined", "insufficient_funds"
    message: str


ChargeResult = Charged | Declined


@dataclass(frozen=True)
class Refunded:
    refund_id: str
    charge_id: str
    amount: Money  # back to the card
    fee_returned: Money  # the part of the charge's fee the processor gives back (often none)


RefundResult = Refunded | Declined


class PaymentProvider(Protocol):
    name: str

    def payment_method(self, card_number: str) -> PaymentMethod:
        """The provider's token for a card, or CardRefused."""

    async def charge(self, request: ChargeRequest) -> ChargeResult:
        """Charge once per idempotency key; PaymentUnavailable when it may be retried."""

    async def refund(self, charge_id: str, amount: Money,
                     idempotency_key: str) -> RefundResult:
        """Refund part or all of a charge once per idempotency key; Declined when the charge is
        unknown or already refunded; PaymentUnavailable when it may be retried."""

    async def close(self) -> None: ...
