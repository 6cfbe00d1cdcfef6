"""Bits: the packs on sale, buying one with a card, one's balance."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.monetization import BuyBits, RefundBits
from gateways.auth import require_admin, require_user
from gateways.bodies import Body, parse_body
from gateways.errors import ApiError
from gateways.payments import SCOPE, idempotent_command_id, paid, payment_method
from gateways.reads import wait_for_requested_position
from gateways.state import Services
from projections.ledger_reads import bits_balance, purchase_of


class BitsPurchase(Body):
    pack: Annotated[int, Field(gt=0, description="the pack's number of bits")]
    card_number: Annotated[str, Field(min_length=12, max_length=23)]


async def packs(request: Request) -> Response:
    settings = Services.of(request).settings
    return JSONResponse({"data": [
        {"pack": bits, "bits": bits, "price": {"amount": price, "currency": settings.bits_currency}}
        for bits, price in sorted(settings.bits_packs.items())]})


async def buy_bits(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, BitsPurchase)
    command_id = await idempotent_command_id(request, "bits-purchase", caller, body)
    services = Services.of(request)
    price = services.settings.bits_packs.get(body.pack)
    if price is None:
        raise ApiError(422, "unknown_pack", f"no pack of {body.pack} bits; see "
                       "/api/v1/bits/packs", "pack")
    currency = services.settings.bits_currency
    command = BuyBits(command_id=command_id, user_id=str(caller.user_id), bits=body.pack,
                      price_minor=price, currency=currency,
                      payment_method=payment_method(services, body.card_number))
    return await paid(services, command, {
        "bits": body.pack, "price": {"amount": price, "currency": currency}})


async def my_bits(request: Request) -> Response:
    """min_position (a purchase's) waits until the balance includes it."""
    caller = await require_user(request, "bits:read")
    services = Services.of(request)
    await wait_for_requested_position(request, services.pool,
                                      services.settings.read_wait_max_s)
    async with services.pool.connection() as conn:
        balance = await bits_balance(conn, str(caller.user_id))
    return JSONResponse({"data": {"balance": balance}})


async def refund_purchase(request: Request) -> Response:
    """A platform admin refunds a purchase (its event_id) to its card, if its bits are unspent."""
    caller = await require_admin(request)
    command_id = await idempotent_command_id(request, "bits-refund", caller, None)
    services = Services.of(request)
    purchase_id = request.path_params["purchase_id"]
    try:
        UUID(purchase_id)
    except ValueError:
        purchase = None
    else:
        async with services.pool.connection() as conn:
            purchase = await purchase_of(conn, purchase_id)
    if purchase is None:
        raise ApiError(404, "purchase_not_found", f"no bits purchase {purchase_id!r}")
    buyer, bits = purchase
    command = RefundBits(command_id=command_id, user_id=buyer, purchase_id=str(UUID(purchase_id)),
                         admin_id=str(caller.user_id))
    return await paid(services, command, {"purchase_id": command.purchase_id, "bits": bits})
