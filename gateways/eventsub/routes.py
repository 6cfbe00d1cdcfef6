"""Where EventSub is served: the Helix subscription endpoints and the WebSocket transport."""

from __future__ import annotations

from starlette.status import WS_1008_POLICY_VIOLATION, WS_1012_SERVICE_RESTART
from starlette.websockets import WebSocket

from config.settings import Settings
from gateways.eventsub import close_codes, subscriptions
from gateways.eventsub.hub import EventSubHub
from gateways.eventsub.requests import NewSubscription
from gateways.eventsub.websocket import WebSocketSession, keepalive_of
from gateways.openapi import Endpoint

HELIX = (400, 401, 429)
EVENTSUB_ENDPOINTS = [
    Endpoint("POST", "/helix/eventsub/subscriptions", subscriptions.create,
             "Helix Create EventSub Subscription: a type and version, its condition, and a "
             "transport (websocket: a user token and a session id; webhook: an app token, an "
             "https callback and a secret); 403 without the scope the type needs, 409 for one "
             "that exists", status=202, body=NewSubscription, errors=(*HELIX, 403, 409, 415)),
    Endpoint("GET", "/helix/eventsub/subscriptions", subscriptions.listing,
             "Helix Get EventSub Subscriptions: the app's (and, with a user token, the user's "
             "WebSocket ones), by status, type, user_id or subscription_id",
             query=subscriptions.SubscriptionsQuery, errors=HELIX),
    Endpoint("DELETE", "/helix/eventsub/subscriptions", subscriptions.delete,
             "Helix Delete EventSub Subscription by id", status=204,
             query=subscriptions.SubscriptionId, errors=(*HELIX, 404)),
]


async def eventsub_socket(websocket: WebSocket) -> None:
    """EventSub over WebSocket; `?keepalive_timeout_seconds=` (10 to 600) as on Twitch."""
    settings: Settings = websocket.app.state.services.settings
    hub: EventSubHub = websocket.app.state.eventsub
    if hub.draining:
        await websocket.close(WS_1012_SERVICE_RESTART)  # before accepting: refused
        return
    keepalive_s = keepalive_of(websocket, settings.eventsub_keepalive_s)
    await websocket.accept()
    if keepalive_s is None:
        await websocket.close(WS_1008_POLICY_VIOLATION, "keepalive_timeout_seconds: 10 to 600")
        return
    session = WebSocketSession(websocket, keepalive_s)
    try:
        if await hub.opened(session, websocket.query_params.get("reconnect")):
            await session.serve(settings.eventsub_unused_session_s)
        else:
            await websocket.close(close_codes.INVALID_RECONNECT)
    finally:
        await hub.closed(session)
