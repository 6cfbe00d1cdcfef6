"""Helix Create, Get and Delete EventSub Subscriptions, in Twitch's shape."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.auth import Principal
from gateways.bodies import parse_body
from gateways.errors import ApiError
from gateways.eventsub import requests, store
from gateways.eventsub.hub import EventSubHub
from gateways.helix.api import helix
from gateways.pagination import TimeCursor, encode_cursor
from gateways.queries import Query, Refusal
from gateways.state import Services
from projections.eventsub.messages import subscription_json

MAX_TOTAL_COST = {"websocket": 10, "webhook": 10_000}
PAGE = 100
Status = Literal["enabled", "webhook_callback_verification_pending",
                 "webhook_callback_verification_failed", "notification_failures_exceeded",
                 "authorization_revoked", "user_removed", "websocket_disconnected"]


class SubscriptionsQuery(Query):
    status: Status | SkipJsonSchema[None] = None
    type: Annotated[str, Field(max_length=100)] | SkipJsonSchema[None] = None
    user_id: Annotated[UUID | SkipJsonSchema[None], Refusal(
        "invalid_parameter", "user_id must be a user's id")] = None
    subscription_id: Annotated[UUID | SkipJsonSchema[None], Refusal(
        "invalid_parameter", "subscription_id must be a subscription's id")] = None
    after: TimeCursor = None


class SubscriptionId(Query):
    id: Annotated[UUID, Field(description="the subscription's id"), Refusal(
        "invalid_parameter", "id must be a subscription's id")]


def hub(request: Request) -> EventSubHub:
    found: EventSubHub = request.app.state.eventsub
    return found


def _method(caller: Principal) -> str:
    return "webhook" if caller.user_id is None else "websocket"


@helix
async def create(request: Request, caller: Principal) -> Response:
    body = await parse_body(request, requests.NewSubscription)
    kind = requests.subscription_type(body)
    services = Services.of(request)
    method = body.transport.method
    connected_at = None
    if method == "websocket" and body.transport.session_id:
        connected_at = await hub(request).sessions.connected_at(body.transport.session_id)
    async with services.pool.connection() as conn:
        channel = await requests.authorize(conn, caller, kind, body.condition, method)
    # A callback's name is resolved holding no connection of the pool.
    transport = await requests.transport_fields(body, connected_at,
                                                services.settings.eventsub_loopback_http)
    async with services.pool.connection() as conn:
        total, cost = await store.totals(conn, caller.client_id, caller.user_id)
        if cost + kind.cost > MAX_TOTAL_COST[method]:
            raise ApiError(429, "too_many", "the subscriptions' total cost would pass "
                           f"{MAX_TOTAL_COST[method]}")
        try:
            row = await store.insert(conn, requests.new_row(caller, body, kind, channel,
                                                            transport))
        except store.Conflict as duplicate:
            raise ApiError(409, "conflict", "subscription already exists") from duplicate
    await hub(request).added(row)
    return JSONResponse({"data": [subscription_json(row)], "total": total + 1,
                         "total_cost": cost + kind.cost, "max_total_cost":
                         MAX_TOTAL_COST[method]}, status_code=202)


@helix
async def listing(request: Request, caller: Principal) -> Response:
    query = SubscriptionsQuery.of(request)
    filters = {"status": query.status, "type": query.type,
               "user": str(query.user_id) if query.user_id else None,
               "sid": query.subscription_id}
    async with Services.of(request).pool.connection() as conn:
        found = await store.listing(conn, caller.client_id, caller.user_id, filters,
                                    query.after, PAGE + 1)
        total, cost = await store.totals(conn, caller.client_id, caller.user_id)
    cursor = None
    if len(found) > PAGE:
        last = found[PAGE - 1]
        cursor = encode_cursor([last["created_at"].isoformat(), str(last["id"])])
    return JSONResponse({"data": [subscription_json(row) for row in found[:PAGE]],
                         "total": total, "total_cost": cost,
                         "max_total_cost": MAX_TOTAL_COST[_method(caller)],
                         "pagination": {"cursor": cursor} if cursor else {}})


@helix
async def delete(request: Request, caller: Principal) -> Response:
    subscription = SubscriptionId.of(request).id
    services = Services.of(request)
    async with services.pool.connection() as conn:
        row = await store.delete(conn, subscription, caller.client_id, caller.user_id)
    if row is None:
        raise ApiError(404, "not_found", "subscription not found")
    await hub(request).removed(row)
    return Response(status_code=204)
