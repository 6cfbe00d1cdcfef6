"""Charging a payment provider from a decider agent: transient failures tried again with the
same idempotency key; if they keep failing the command is answered, not remembered, so the
same key may try again."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import tenacity

from payments.money import Money
from payments.provider import (
    ChargeRequest,
    ChargeResult,
    PaymentProvider,
    PaymentUnavailable,
    RefundResult,
)
from processors.deciders.decisions import Rejected

log = logging.getLogger(__name__)
T = TypeVar("T")
UNAVAILABLE = Rejected("payment_unavailable", "the payment provider failed for now; nothing "
                       "was charged: retry with the same Idempotency-Key")


async def charge_with_retries(provider: PaymentProvider, request: ChargeRequest,
                              attempts: int) -> ChargeResult | None:
    """The provider's answer; None when it kept failing."""
    return await _retried(request.idempotency_key, attempts, provider.charge, request)


async def refund_with_retries(provider: PaymentProvider, charge_id: str, amount: Money,
                              idempotency_key: str, attempts: int) -> RefundResult | None:
    """The provider's answer to a refund; None when it kept failing."""
    return await _retried(idempotency_key, attempts, provider.refund, charge_id, amount,
                          idempotency_key)


async def _retried(key: str, attempts: int, call: Callable[..., Awaitable[T]],
                   *args: object) -> T | None:
    """tenacity awaits `call` only when it is a coroutine function, so it is passed as one."""
    retrying = tenacity.AsyncRetrying(
        retry=tenacity.retry_if_exception_type(PaymentUnavailable),
        stop=tenacity.stop_after_attempt(attempts),
        wait=tenacity.wait_exponential(multiplier=0.05, max=1), reraise=True)
    try:
        result: T = await retrying(call, *args)
    except PaymentUnavailable as error:
        log.error("payment %s failed %d times: %s", key, attempts, error)
        return None
    return result
