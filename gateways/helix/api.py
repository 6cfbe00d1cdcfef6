"""What every Helix endpoint shares: the caller (a `Client-Id` header and a bearer token of that
app), the rate limit's headers, Twitch's error JSON, and its `{data, pagination}` pages."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, ClassVar, Self

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.auth import Principal, authenticate
from gateways.bodies import MAX_BODY_BYTES, read_limited
from gateways.errors import ApiError
from gateways.helix.ratelimit import Bucket, count_refused_token, refused_tokens, take_point
from gateways.inputs import check_json, load_json
from gateways.player_tokens import client_address
from gateways.queries import Query
from gateways.state import Services

HelixHandler = Callable[[Request, Principal], Awaitable[Response]]


def error(status: int, message: str) -> JSONResponse:
    """Twitch's error body: the status's phrase, the status, and what went wrong."""
    return JSONResponse({"error": HTTPStatus(status).phrase, "status": status,
                         "message": message}, status_code=status)


def helix(handler: HelixHandler) -> Callable[[Request], Awaitable[Response]]:
    """A Helix endpoint: refused in Twitch's shape, answered with the caller's bucket."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        try:
            caller = await _caller(request)
        except ApiError as refused:
            return _refusal(refused)
        services = Services.of(request)
        bucket = await take_point(services.redis, caller.client_id, caller.user_id,
                                  services.settings.helix_points_per_minute)
        response = await _answer(handler, request, caller, bucket)
        response.headers.update(bucket.headers())
        return response

    return endpoint


async def _answer(handler: HelixHandler, request: Request, caller: Principal,
                  bucket: Bucket) -> Response:
    if bucket.exhausted:
        return error(429, "too many requests: wait for Ratelimit-Reset")
    try:
        return await handler(request, caller)
    except ApiError as refused:
        return _refusal(refused)


def _refusal(refused: ApiError) -> Response:
    # Helix answers a body it cannot take 400, where Castline's own API says 422.
    status = 400 if refused.status == 422 else refused.status
    response = error(status, refused.message)
    response.headers.update(refused.headers or {})
    return response


async def _caller(request: Request) -> Principal:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not token.strip():
        raise ApiError(401, "unauthorized", "OAuth token is missing")
    if scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "send the token as 'Authorization: Bearer <token>'")
    client_id = request.headers.get("client-id", "").strip()
    if not client_id:
        raise ApiError(401, "unauthorized", "Client-Id header is missing")
    services, address = Services.of(request), client_address(request)
    held = await refused_tokens(services.redis, address, services.settings.helix_points_per_minute)
    if held.used >= held.limit:
        raise ApiError(429, "too_many_requests", "too many invalid tokens from this address: "
                       "wait for Ratelimit-Reset", headers=held.headers())
    try:
        caller = await authenticate(services.pool, token.strip())
    except ApiError as refused:
        await count_refused_token(services.redis, address)
        raise ApiError(401, "unauthorized", "Invalid OAuth token") from refused
    if caller.client_id != client_id:
        raise ApiError(401, "unauthorized", "Client ID and OAuth token do not match")
    return caller


def require_scope(caller: Principal, scope: str) -> None:
    """Twitch answers a token without the scope an endpoint needs 401, naming the scope."""
    if scope not in caller.scopes:
        raise ApiError(401, "unauthorized", f"Missing scope: {scope}")


def user_of(caller: Principal) -> str:
    """The token's user: an endpoint that acts for a user refuses an app token."""
    if caller.user_id is None:
        raise ApiError(401, "unauthorized", "this endpoint needs a user access token")
    return caller.user_id


def acting_user(caller: Principal, claimed: object, name: str) -> str:
    """The token's user, who must be the one the request names in `name` (as on Twitch)."""
    user = user_of(caller)
    if str(claimed) != user:
        raise ApiError(401, "unauthorized", f"{name} must match the user ID in the OAuth token")
    return user


def page(data: list[dict[str, Any]], cursor: str | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"data": data, **extra,
                         "pagination": {"cursor": cursor} if cursor else {}})


class HelixQuery(Query):
    """Helix repeats a parameter to give several values (`?id=1&id=2`): the fields named in
    REPEATED take every value given, the others the last."""

    REPEATED: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def of(cls, request: Request) -> Self:
        params = request.query_params
        values = {name: params.getlist(name) if name in cls.REPEATED else params[name]
                  for name in params}
        try:
            return cls.model_validate(values)
        except ValidationError as invalid:
            raise cls._refused(invalid.errors()[0]) from invalid

    @classmethod
    async def taken(cls, request: Request) -> Self:
        """Fields Twitch's clients send in the query string or in a JSON body, either one."""
        values: dict[str, Any] = dict(request.query_params)
        raw = await read_limited(request, MAX_BODY_BYTES)
        if raw:
            if request.headers.get("content-type", "").split(";")[0].strip() \
                    != "application/json":
                raise ApiError(415, "unsupported_media_type", "send the body as application/json")
            data = load_json(raw)
            if not isinstance(data, dict):
                raise ApiError(400, "malformed_json", "body must be a JSON object")
            check_json(data, frozenset())
            values.update(data)
        try:
            return cls.model_validate(values)
        except ValidationError as invalid:
            raise cls._refused(invalid.errors()[0]) from invalid
