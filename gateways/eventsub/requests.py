"""A Create EventSub Subscription request checked as Twitch checks it: the type and version,
the condition's fields, the transport, and that the token may ask for it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from psycopg import AsyncConnection
from pydantic import Field, StringConstraints

from gateways.auth import Principal
from gateways.bodies import Body
from gateways.errors import ApiError
from gateways.eventsub import store
from gateways.eventsub.catalog import NAMES, SubscriptionType, find
from projections.eventsub import callbacks

Short = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Secret = Annotated[str, StringConstraints(min_length=10, max_length=100, pattern=r"^[ -~]+$")]


class Transport(Body):
    method: Literal["websocket", "webhook"]
    session_id: Short | None = None
    callback: Annotated[str, StringConstraints(max_length=callbacks.MAX_URL)] | None = None
    secret: Secret | None = None


class NewSubscription(Body):
    type: Short
    version: Short
    condition: Annotated[dict[Short, Annotated[str, StringConstraints(max_length=100)]],
                         Field(max_length=10)]
    transport: Transport
    is_batching_enabled: bool | None = None


def bad(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def condition_fields(kind: SubscriptionType, condition: dict[str, str]) -> tuple[str, ...]:
    """The fields a valid condition of the type holds."""
    return (*kind.condition, *(key for key in kind.sides if key in condition))


def _check_condition_fields(kind: SubscriptionType, body: NewSubscription) -> None:
    missing = [f for f in kind.condition if not body.condition.get(f)]
    sides = [key for key in kind.sides if body.condition.get(key)]
    extra = sorted(set(body.condition) - set(kind.condition) - set(kind.sides))
    if missing or extra or (kind.sides and len(sides) != 1):
        takes = ", ".join(kind.condition) or " or ".join(kind.sides)
        raise bad(f"invalid condition: {body.type} takes {takes}")


def subscription_type(body: NewSubscription) -> SubscriptionType:
    if body.type not in NAMES:
        raise bad(f"unsupported subscription type: {body.type}")
    found = find(body.type, body.version)
    if found is None:
        raise bad(f"unsupported version {body.version} of {body.type}")
    _check_condition_fields(found, body)
    for name in condition_fields(found, body.condition):
        try:
            UUID(body.condition[name])
        except ValueError as error:
            raise bad(f"invalid condition: {name} is not a user id") from error
    return found


async def authorize(conn: AsyncConnection[Any], caller: Principal, kind: SubscriptionType,
                    condition: dict[str, str], method: str) -> store.Broadcaster:
    """The channel the condition names, once the token may subscribe to it."""
    if method == "websocket" and caller.user_id is None:
        raise ApiError(401, "unauthorized", "the websocket transport needs a user access token")
    if method == "webhook" and caller.user_id is not None:
        raise ApiError(401, "unauthorized", "the webhook transport needs an app access token")
    key = kind.channel_key(condition)
    channel = await store.broadcaster(conn, condition[key])
    if channel is None:
        raise bad(f"invalid condition: {key} names no channel")
    if kind.authorized:
        await _authorized(conn, caller, kind, condition[kind.authorizer], channel)
    return channel


async def _authorized(conn: AsyncConnection[Any], caller: Principal, kind: SubscriptionType,
                      user_id: str, channel: store.Broadcaster) -> None:
    scope_names = " or ".join(sorted(kind.scope))
    if caller.user_id is not None:
        if str(UUID(user_id)) != caller.user_id:
            raise ApiError(403, "forbidden", f"{kind.authorizer} must be the token's user")
        if not kind.scope & caller.scopes:
            raise ApiError(403, "forbidden", f"missing scope: {scope_names}")
    elif not await store.granted(conn, caller.client_id, user_id, kind.scope):
        raise ApiError(403, "forbidden", f"{kind.authorizer} has not granted the app "
                       f"{scope_names}")
    if kind.anyone or user_id == channel.user_id:
        return
    if not (kind.moderator_may and await store.moderates(conn, channel.login, user_id)):
        raise ApiError(403, "forbidden", f"{kind.authorizer} may not read this channel's "
                       f"{kind.name} events")


async def transport_fields(body: NewSubscription, connected_at: datetime | None,
                           loopback_http: bool) -> dict[str, Any]:
    """The row's transport columns; `connected_at` is the named WebSocket session's, None when
    no such session is open."""
    transport = body.transport
    if transport.method == "websocket":
        if not transport.session_id or transport.callback or transport.secret:
            raise bad("the websocket transport takes a session_id only")
        if connected_at is None:
            raise bad("session_id names no connected WebSocket session")
        return {"session_id": transport.session_id, "callback": None, "secret": None,
                "status": "enabled", "connected_at": connected_at}
    if transport.session_id or not transport.callback or not transport.secret:
        raise bad("the webhook transport takes a callback and a secret of 10 to 100 "
                  "characters")
    try:
        host, port = callbacks.checked_url(transport.callback, loopback_http)
        await callbacks.resolved(host, port, loopback_http)
    except callbacks.BadCallback as refused:
        raise bad(str(refused)) from refused
    return {"session_id": None, "callback": transport.callback, "secret": transport.secret,
            "status": "webhook_callback_verification_pending", "connected_at": None}


def new_row(caller: Principal, body: NewSubscription, kind: SubscriptionType,
            channel: store.Broadcaster, transport: dict[str, Any]) -> dict[str, Any]:
    return {"id": uuid4(), "client_id": caller.client_id, "user_id": caller.user_id,
            "type": kind.name, "version": kind.version,
            "condition": {name: str(UUID(body.condition[name]))
                          for name in condition_fields(kind, body.condition)},
            "channel": kind.filed_under(channel.login, body.condition),
            "broadcaster_id": channel.user_id,
            "broadcaster_login": channel.login, "broadcaster_name": channel.name,
            "cost": kind.cost, "method": body.transport.method, **transport}
