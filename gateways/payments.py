"""What every endpoint that spends money shares: a required Idempotency-Key, a card turned into
the provider's token before anything reaches the log, and the answer to a paid command."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse

from events.base import Command
from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.idempotency import keyed_command_id
from gateways.responses import written
from gateways.state import Services
from payments.provider import CardRefused

SCOPE = "user:manage:payments"


async def idempotent_command_id(request: Request, route: str, caller: Principal,
                                body: BaseModel | None) -> UUID:
    """Keys are the caller's own: another user's same key names another command."""
    if request.headers.get("idempotency-key") is None:
        raise ApiError(400, "missing_idempotency_key",
                       "send an Idempotency-Key header: a retry with the same key is never "
                       "charged twice", "Idempotency-Key")
    command_id = await keyed_command_id(Services.of(request).pool, request,
                                        f"{route}:{caller.user_id}", body)
    assert command_id is not None
    return command_id


def payment_method(services: Services, card_number: str) -> str:
    try:
        return services.payments.payment_method(card_number).token
    except CardRefused as refused:
        raise ApiError(422, "invalid_card", str(refused), "card_number") from refused


async def paid(services: Services, command: Command, data: dict[str, Any]) -> JSONResponse:
    """Submit and answer 201; a retried key gets the first outcome (same event and position)."""
    outcome = await services.commands.submit(command)
    return JSONResponse(written(outcome, data), status_code=201)
