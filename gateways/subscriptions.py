"""Subscriptions: subscribe by card, gift to a named user or to N viewers of the channel,
cancel (the benefits last to the period's end), change the card on file."""

from __future__ import annotations

import random
import time
from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.subscriptions import (
    CancelSubscription,
    ChangeSubscriptionCard,
    GiftSubscriptions,
    Subscribe,
)
from gateways.auth import require_user
from gateways.bodies import Body, parse_body
from gateways.errors import ApiError
from gateways.payments import SCOPE, idempotent_command_id, paid, payment_method
from gateways.reads import wait_for_decided
from gateways.responses import written
from gateways.state import Services
from projections.channel_reads import get_channel
from projections.subscription_reads import gift_recipients
from projections.user_reads import get_user
from projections.viewers import viewers_key

MAX_GIFTS = 100
Card = Annotated[str, Field(min_length=12, max_length=23)]
Tier = Annotated[int, Field(description="1000, 2000 or 3000")]


class NewSubscription(Body):
    tier: Tier
    card_number: Card


class Gift(Body):
    """Exactly one of recipient (a username) and count (random viewers of the channel)."""

    tier: Tier
    card_number: Card
    recipient: Annotated[str | None, Field(min_length=1, max_length=25)] = None
    count: Annotated[int | None, Field(ge=1, le=MAX_GIFTS)] = None


class CardOnFile(Body):
    card_number: Card


def tier_price(services: Services, tier: int) -> int:
    price = services.settings.subscription_prices.get(tier)
    if price is None:
        tiers = ", ".join(str(t) for t in sorted(services.settings.subscription_prices))
        raise ApiError(422, "unknown_tier", f"no tier {tier}; tiers are {tiers}", "tier")
    return price


async def channel_owner(services: Services, name: str) -> str:
    async with services.pool.connection() as conn:
        channel = await get_channel(conn, name)
    if channel is None:
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    return str(channel["owner_id"])


def price_of(services: Services, amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": services.settings.subscription_currency}


async def subscribe(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, NewSubscription)
    command_id = await idempotent_command_id(request, "subscription", caller, body)
    services, name = Services.of(request), request.path_params["name"].lower()
    price = tier_price(services, body.tier)
    command = Subscribe(
        command_id=command_id, channel=name, broadcaster_id=await channel_owner(services, name),
        user_id=str(caller.user_id), tier=body.tier, price_minor=price,
        currency=services.settings.subscription_currency,
        payment_method=payment_method(services, body.card_number))
    return await paid(services, command, {"channel": name, "tier": body.tier,
                                          "price": price_of(services, price)})


async def gift(request: Request) -> Response:
    """Answers once the gifted subscriptions are readable, naming who got them."""
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, Gift)
    command_id = await idempotent_command_id(request, "subscription-gift", caller, body)
    if (body.recipient is None) == (body.count is None):
        raise ApiError(422, "invalid_gift", "name a recipient or a count, not both", "recipient")
    services, name = Services.of(request), request.path_params["name"].lower()
    price = tier_price(services, body.tier)
    command = GiftSubscriptions(
        command_id=command_id, channel=name, broadcaster_id=await channel_owner(services, name),
        gifter_id=str(caller.user_id), tier=body.tier, price_minor=price,
        currency=services.settings.subscription_currency,
        payment_method=payment_method(services, body.card_number),
        recipient_id=await _recipient_id(services, body.recipient),
        count=body.count or 1, candidates=await _recent_viewers(services, name, body.count))
    outcome = await services.commands.submit(command)
    await wait_for_decided(services.pool, outcome, services.settings.read_wait_max_s)
    async with services.pool.connection() as conn:
        recipients = await gift_recipients(conn, str(command_id))
    return JSONResponse(written(outcome, {
        "channel": name, "tier": body.tier, "requested": body.count or 1,
        "recipients": recipients, "price": price_of(services, price * len(recipients))}),
        status_code=201)


async def _recipient_id(services: Services, username: str | None) -> str | None:
    if username is None:
        return None
    async with services.pool.connection() as conn:
        user = await get_user(conn, username.lower())
    if user is None:
        raise ApiError(404, "user_not_found", f"no user named {username!r}", "recipient")
    return str(user["user_id"])


async def _recent_viewers(services: Services, channel: str, count: int | None) -> list[str]:
    """Signed-in viewers whose player reported within the viewer window, shuffled: the
    decider gifts the first `count` of them who may be gifted."""
    if count is None:
        return []
    since = time.time() - services.settings.viewer_window_s
    members = await services.redis.zrangebyscore(viewers_key(channel), since, "+inf")
    viewers = [m for m in (_text(m) for m in members) if not m.startswith("anon:")]
    random.shuffle(viewers)
    return viewers[:MAX_GIFTS * 4]


def _text(member: object) -> str:
    return member.decode() if isinstance(member, bytes) else str(member)


async def _own_subscription_change(request: Request,
                                   command: CancelSubscription | ChangeSubscriptionCard
                                   ) -> Response:
    outcome = await Services.of(request).commands.submit(command)
    return JSONResponse(written(outcome, {"channel": command.channel}))


async def cancel(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    name = request.path_params["name"].lower()
    return await _own_subscription_change(request, CancelSubscription(
        channel=name, user_id=str(caller.user_id)))


async def change_card(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, CardOnFile)
    services, name = Services.of(request), request.path_params["name"].lower()
    return await _own_subscription_change(request, ChangeSubscriptionCard(
        channel=name, user_id=str(caller.user_id),
        payment_method=payment_method(services, body.card_number)))
