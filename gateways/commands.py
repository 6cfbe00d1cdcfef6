"""Send a command to its decider and wait, bounded, for the outcome."""

from __future__ import annotations

import asyncio
import math
from uuid import NAMESPACE_URL, UUID, uuid5

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
    "ad_break_ended": 409, "already_refunded": 409, "bits_spent": 409,
}


def command_id_for(route: str, idempotency_key: str | None) -> UUID | None:
    """The same Idempotency-Key on the same route always names the same command."""
    if idempotency_key is None:
        return None
    if not 1 <= len(idempotency_key) <= 200:
        raise ApiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1-200 characters")
    return uuid5(NAMESPACE_URL, f"castline:{route}:{idempotency_key}")


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
