"""Donations to a channel: paid by card, the message held to the channel's chat rules first."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from events.monetization import MakeDonation
from gateways.auth import require_user
from gateways.bodies import Body, parse_body
from gateways.errors import ApiError
from gateways.payments import SCOPE, idempotent_command_id, paid, payment_method
from gateways.state import Services
from projections.channel_reads import get_channel
from projections.user_reads import get_user


class Donation(Body):
    amount: Annotated[int, Field(gt=0, description="in the currency's minor unit (cents)")]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    message: Annotated[str, Field(max_length=500)] = ""
    card_number: Annotated[str, Field(min_length=12, max_length=23)]


async def donate(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, Donation)
    command_id = await idempotent_command_id(request, "donation", caller, body)
    services = Services.of(request)
    name = request.path_params["name"].lower()
    async with services.pool.connection() as conn:
        channel = await get_channel(conn, name)
        user = await get_user(conn, str(caller.username))
    if channel is None:
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    command = MakeDonation(
        command_id=command_id, user_id=str(caller.user_id), username=str(caller.username),
        display_name=user["display_name"] if user else str(caller.username), channel=name,
        amount_minor=body.amount, currency=body.currency, message=body.message,
        payment_method=payment_method(services, body.card_number))
    return await paid(services, command, {
        "channel": name, "amount": body.amount, "currency": body.currency,
        "message": body.message})
