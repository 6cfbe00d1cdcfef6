"""Send a command to its decider and wait, bounded, for the outcome."""

from __future__ import annotations

import asyncio
import math

from events.base import Command
from events.outcomes import CommandDecided
from events.producer import AsyncEventProducer, DeliveryFailed
from gateways.errors import ApiError
from gateways.outcomes import OutcomeListener

REJECTION_STATUS = {
    "not_found": 404, "exists": 409, "taken": 409, "conflict": 409, "forbidden": 403,
    "wrong_key": 403, "already_live": 409, "channel_banned": 403,
    "declined": 402, "insufficient_funds": 402, "payment_unavailable": 503, "key_reused": 409,
    "already_subscribed": 409, "no_eligible_viewers": 409, "not_live": 409,
    "ad_break_ended": 409, "already_refunded": 409, "bits_spent": 409, "not_watching": 409,
}


class CommandBus:
    def __init__(
        self, producer: AsyncEventProducer, outcomes: OutcomeListener, timeout_s: float
    ) -> None:
        self.producer = producer
        self.outcomes = outcomes
        self.timeout_s = timeout_s

    async def submit(self, command: Command) -> CommandDecided:
        """Return the accepted outcome, or raise the rejection as an ApiError."""
        command_id = str(command.command_id)
        waiting = self.outcomes.expect(command_id)
        try:
            await self.producer.send(command)
            outcome = await asyncio.wait_for(waiting, self.timeout_s)
        except DeliveryFailed as error:
            raise ApiError(503, "broker_unavailable", str(error)) from error
        except TimeoutError as error:
            raise ApiError(
                503, "decider_timeout",
                f"no decision within {self.timeout_s}s; retry with the same Idempotency-Key",
                headers={"Retry-After": "1"},
            ) from error
        finally:
            self.outcomes.forget(command_id, waiting)
        if not outcome.accepted:
            raise _rejection(outcome)
        return outcome


def _rejection(outcome: CommandDecided) -> ApiError:
    error = outcome.error or "rejected"
    if outcome.retry_after_s is not None:
        return ApiError(429, error, outcome.message or error, outcome.error_field,
                        headers={"Retry-After": str(math.ceil(outcome.retry_after_s))})
    status = next((s for suffix, s in REJECTION_STATUS.items() if error.endswith(suffix)), 422)
    return ApiError(status, error, outcome.message or error, outcome.error_field)
