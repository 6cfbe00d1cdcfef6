"""Send a command to its decider and wait, bounded, for the outcome."""

from __future__ import annotations

import asyncio
import math

from events.base import Command
from events.outcomes import CommandDecided
from events.producer import AsyncEventProducer, DeliveryFailed
from gateways.errors import ApiError
from gateways.outcomes import OutcomeListener
from gateways.rejections import rejection_status


class CommandBus:
    def __init__(
        self, producer: AsyncEventProducer, outcomes: OutcomeListener, timeout_s: float
    ) -> None:
        self.producer = producer
        self.outcomes = outcomes
        self.timeout_s = timeout_s

    async def submit(self, command: Command, timeout_s: float | None = None) -> CommandDecided:
        """Return the accepted outcome, or raise the rejection as an ApiError. The wait is
        this bus's timeout unless the caller must answer sooner."""
        timeout_s = self.timeout_s if timeout_s is None else min(timeout_s, self.timeout_s)
        command_id = str(command.command_id)
        waiting = self.outcomes.expect(command_id)
        try:
            # One deadline for the send and the decision: a broker that does not acknowledge
            # (down, electing a leader) must not hold a caller past its own timeout.
            async with asyncio.timeout(timeout_s):
                await self.producer.send(command)
                outcome = await waiting
        except DeliveryFailed as error:
            raise ApiError(503, "broker_unavailable", str(error)) from error
        except TimeoutError as error:
            raise ApiError(
                503, "decider_timeout",
                f"no decision within {timeout_s}s; retry with the same Idempotency-Key",
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
    return ApiError(rejection_status(error), error, outcome.message or error, outcome.error_field)
