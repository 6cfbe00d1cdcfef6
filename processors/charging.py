"""Charging a payment provider from a decider agent: transient failures tried again with the
same idempotency key; if they keep failing the command is answered, not remembered, so the
same key may try again."""

from __future__ import annotations

import logging

import tenacity

from payments.provider import ChargeRequest, ChargeResult, PaymentProvider, PaymentUnavailable
from processors.decisions import Rejected

log = logging.getLogger(__name__)
UNAVAILABLE = Rejected("payment_unavailable", "the payment provider failed for now; nothing "
                       "was charged: retry with the same Idempotency-Key")


async def charge_with_retries(provider: PaymentProvider, request: ChargeRequest,
                              attempts: int) -> ChargeResult | None:
    """The provider's answer; None when it kept failing."""
    retrying = tenacity.AsyncRetrying(
        retry=tenacity.retry_if_exception_type(PaymentUnavailable),
        stop=tenacity.stop_after_attempt(attempts),
        wait=tenacity.wait_exponential(multiplier=0.05, max=1), reraise=True)
    try:
        result: ChargeResult = await retrying(provider.charge, request)
    except PaymentUnavailable as error:
        log.error("charge %s failed %d times: %s", request.idempotency_key, attempts, error)
        return None
    return result
