"""Checks every request meets before routing: the path and query hold text a store can hold, and
no more than a bounded number of HTTP requests are served at once."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.status import HTTP_503_SERVICE_UNAVAILABLE, WS_1008_POLICY_VIOLATION
from starlette.types import ASGIApp, Receive, Scope, Send

from gateways.errors import ApiError, error_body
from gateways.inputs import check_params, check_text

DENIAL_EXTENSION = "websocket.http.response"


class InputGuard:
    """Refuses a path or query with a control character, for HTTP and WebSocket alike."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        try:
            check_text(scope["path"], "path")
            check_params(HTTPConnection(scope).query_params.multi_items())
        except ApiError as refused:
            await _refuse(scope, receive, send, refused)
            return
        await self.app(scope, receive, send)


class ConcurrencyLimit:
    """At most `limit` HTTP requests in progress; past it, 503 at once rather than a queue that
    grows until every request times out. WebSockets are long-lived and not counted."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.in_progress = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_progress >= self.limit:
            busy = ApiError(HTTP_503_SERVICE_UNAVAILABLE, "overloaded",
                            f"the gateway is serving {self.limit} requests; retry shortly",
                            headers={"Retry-After": "1"})
            await _refuse(scope, receive, send, busy)
            return
        self.in_progress += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_progress -= 1


async def _refuse(scope: Scope, receive: Receive, send: Send, refused: ApiError) -> None:
    """The error as JSON; a WebSocket handshake without the denial extension is closed."""
    if scope["type"] == "websocket" and DENIAL_EXTENSION not in scope.get("extensions", {}):
        await send({"type": "websocket.close", "code": WS_1008_POLICY_VIOLATION})
        return
    response = JSONResponse(error_body(refused.error, refused.message, refused.field),
                            status_code=refused.status, headers=refused.headers)
    await response(scope, receive, send)
