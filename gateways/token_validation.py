"""GET /oauth2/validate, as Twitch answers it: what a token is (its app, user, scopes, time
left). Chat bot libraries call it at start-up with "Authorization: OAuth <token>"."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.auth import authenticate
from gateways.errors import ApiError
from gateways.state import Services


async def validate(request: Request) -> Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() not in ("oauth", "bearer") or not token.strip():
        raise ApiError(401, "missing_authorization_token", "send 'Authorization: OAuth <token>'")
    try:
        caller = await authenticate(Services.of(request).pool, token.strip())
    except ApiError as refused:
        raise ApiError(401, "invalid_token", "invalid access token") from refused
    return JSONResponse({
        "client_id": caller.client_id, "login": caller.username,
        "scopes": sorted(caller.scopes), "user_id": caller.user_id,
        "expires_in": max(0, int(caller.expires_at - time.time()))})
