"""A payment provider that behaves like a card processor's test mode.

Only the well-known test card numbers are taken; each always does the same thing. Charges
are kept (in PostgreSQL, standing in for the processor's own records) by idempotency key, so a
repeated request gets the first answer and is never charged twice; a transient failure keeps
nothing, so the same key may be tried again. Refunds are kept the same way (by key), up to the
amount charged; as card processors do, the sandbox keeps its fee on a refund: the card gets the
whole amount back and the processor returns none of its fee.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from psycopg_pool import AsyncConnectionPool

from payments.money import Money, share
from payments.provider import (
    CardRefused,
    Charged,
    ChargeRequest,
    ChargeResult,
    Declined,
    PaymentMethod,
    PaymentUnavailable,
    Refunded,
    RefundResult,
)

log = logging.getLogger(__name__)
SUCCEED, DECLINE, INSUFFICIENT_FUNDS, FAIL_TRANSIENTLY = (
    "succeed", "decline", "insufficient_funds", "fail_transiently")
TEST_CARDS: dict[str, tuple[str, str]] = {  # number -> (brand, behaviour)
    "4242424242424242": ("visa", SUCCEED),
    "5555555555554444": ("mastercard", SUCCEED),
    "4000000000000002": ("visa", DECLINE),
    "4000000000009995": ("visa", INSUFFICIENT_FUNDS),
    "4000000000000119": ("visa", FAIL_TRANSIENTLY),
}
DECLINES = {DECLINE: ("card_declined", "the card was declined"),
            INSUFFICIENT_FUNDS: ("insufficient_funds", "the card has insufficient funds")}
PAYMENT_METHOD_PREFIX = "pm_sandbox_"


@dataclass(frozen=True)
class Fees:
    """What the processor keeps of each charge: a rate plus a fixed part."""

    basis_points: int
    fixed_minor: int

    def of(self, amount: Money) -> Money:
        fee = share(amount.amount_minor, self.basis_points) + self.fixed_minor
        return Money(min(fee, amount.amount_minor), amount.currency)


def sandbox_payment_method(card_number: str) -> PaymentMethod:
    digits = card_number.replace(" ", "").replace("-", "")
    card = TEST_CARDS.get(digits)
    if card is None:
        raise CardRefused("the sandbox takes only test card numbers, e.g. 4242424242424242")
    brand, behaviour = card
    return PaymentMethod(f"{PAYMENT_METHOD_PREFIX}{behaviour}_{digits[-4:]}", brand, digits[-4:])


def behaviour_of(token: str) -> str | None:
    if not token.startswith(PAYMENT_METHOD_PREFIX):
        return None
    behaviour = token[len(PAYMENT_METHOD_PREFIX):].rsplit("_", 1)[0]
    return behaviour if behaviour in {b for _, b in TEST_CARDS.values()} else None


class SandboxProvider:
    name = "sandbox"

    def __init__(self, postgres: str, fees: Fees) -> None:
        self.fees = fees
        self.pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            postgres, min_size=1, max_size=2, open=False, kwargs={"autocommit": True})
        self.opened = False

    def payment_method(self, card_number: str) -> PaymentMethod:
        return sandbox_payment_method(card_number)

    async def charge(self, request: ChargeRequest) -> ChargeResult:
        behaviour = behaviour_of(request.payment_method)
        if behaviour == FAIL_TRANSIENTLY:
            log.warning("sandbox: processing error for key %s", request.idempotency_key)
            raise PaymentUnavailable("the card processor had a processing error; try again")
        if behaviour is None:
            return await self._kept(request, None, "invalid_payment_method",
                                    "the payment method is not one the sandbox issued")
        if behaviour in DECLINES:
            return await self._kept(request, None, *DECLINES[behaviour])
        charged = Charged(f"ch_sandbox_{uuid4().hex}", request.amount,
                          self.fees.of(request.amount))
        return await self._kept(request, charged, None, None)

    async def refund(self, charge_id: str, amount: Money,
                     idempotency_key: str) -> RefundResult:
        """Refund once per key, never more than the charge left unrefunded."""
        await self._open()
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "SELECT amount_minor, currency FROM sandbox_charges WHERE charge_id = %s "
                "FOR UPDATE", (charge_id,))
            charge = await cur.fetchone()
            code = await _refund_refusal(conn, charge, charge_id, amount)
            await conn.execute(
                "INSERT INTO sandbox_refunds (idempotency_key, refund_id, charge_id, "
                "amount_minor, currency, decline_code) VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                (idempotency_key, None if code else f"re_sandbox_{uuid4().hex}", charge_id,
                 amount.amount_minor, amount.currency, code))
            cur = await conn.execute(
                "SELECT refund_id, charge_id, amount_minor, currency, decline_code "
                "FROM sandbox_refunds WHERE idempotency_key = %s", (idempotency_key,))
            row = await cur.fetchone()
        assert row is not None
        refund_id, kept_charge, amount_minor, currency, kept_code = row
        if refund_id is None or Money(amount_minor, currency) != amount or kept_charge != charge_id:
            return Declined(kept_code or "idempotency_key_reused",
                            REFUND_DECLINES.get(kept_code, "this idempotency key was used for "
                                                           "another refund"))
        return Refunded(refund_id, charge_id, amount, Money(0, currency))

    async def _open(self) -> None:
        if not self.opened:
            await self.pool.open(wait=True, timeout=10)
            self.opened = True

    async def _kept(self, request: ChargeRequest, charged: Charged | None, code: str | None,
                    message: str | None) -> ChargeResult:
        """Record the answer under the key unless one is there already; return the kept one."""
        await self._open()
        async with self.pool.connection() as conn:
            await conn.execute(
                "INSERT INTO sandbox_charges (idempotency_key, charge_id, payment_method, "
                "amount_minor, currency, fee_minor, decline_code, decline_message) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (request.idempotency_key, charged and charged.charge_id, request.payment_method,
                 request.amount.amount_minor, request.amount.currency,
                 charged and charged.fee.amount_minor, code, message))
            cur = await conn.execute(
                "SELECT charge_id, amount_minor, currency, fee_minor, decline_code, "
                "decline_message FROM sandbox_charges WHERE idempotency_key = %s",
                (request.idempotency_key,))
            row = await cur.fetchone()
        assert row is not None
        return _answer(request, *row)

    async def close(self) -> None:
        if self.opened:
            await self.pool.close()


REFUND_DECLINES = {"charge_not_found": "no such charge",
                   "amount_exceeds_charge": "more than the charge has left to refund"}


async def _refund_refusal(conn: Any, charge: tuple[int, str] | None, charge_id: str,
                          amount: Money) -> str | None:
    if charge is None or charge[1] != amount.currency:
        return "charge_not_found"
    cur = await conn.execute(
        "SELECT coalesce(sum(amount_minor), 0) FROM sandbox_refunds "
        "WHERE charge_id = %s AND refund_id IS NOT NULL", (charge_id,))
    row = await cur.fetchone()
    refunded = int(row[0]) if row else 0
    return "amount_exceeds_charge" if refunded + amount.amount_minor > charge[0] else None


def _answer(request: ChargeRequest, charge_id: str | None, amount_minor: int, currency: str,
            fee_minor: int | None, code: str | None, message: str | None) -> ChargeResult:
    if Money(amount_minor, currency) != request.amount:
        return Declined("idempotency_key_reused",
                        "this idempotency key was used for another amount")
    if charge_id is None or fee_minor is None:
        return Declined(code or "card_declined", message or "the card was declined")
    return Charged(charge_id, Money(amount_minor, currency), Money(fee_minor, currency))
