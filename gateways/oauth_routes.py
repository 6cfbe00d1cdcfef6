"""HTTP endpoints of the authorization server: token, revoke, introspect, authorize, apps."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from typing import Annotated, Any, Literal

from authlib.oauth2.rfc6749.util import scope_to_list
from pydantic import AnyUrl, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from gateways import login_limits
from gateways.auth import require_user
from gateways.bodies import Body, parse_body, parse_form
from gateways.errors import ApiError
from gateways.oauth.models import OAuthClient, User, digest
from gateways.oauth.scopes import SCOPES
from gateways.oauth.server import CastlineAuthorizationServer, FormRequest, OAuthResponse
from gateways.state import Services


async def form_request(request: Request, query_too: bool = False) -> FormRequest:
    """`query_too`: the query's parameters count as the form's, as id.twitch.tv takes them
    (Twitch's clients send client credentials and revocations in the query string)."""
    form, query = await parse_form(request), dict(request.query_params)
    # A password is never taken from a URL (URLs are logged); the password grant is a form's.
    taken = {k: v for k, v in query.items() if k not in ("password", "username")}
    return FormRequest(request.method, str(request.url), request.headers,
                       {**taken, **form} if query_too else form, query)


def respond(result: OAuthResponse) -> Response:
    """Errors carry Twitch's `status` and `message` beside OAuth's `error`."""
    headers = dict(result.headers)
    if result.status in (301, 302, 303):
        return RedirectResponse(headers["Location"], status_code=result.status)
    body = dict(result.body) if isinstance(result.body, dict) else {"body": result.body}
    if "error" in body:
        body.setdefault("message", body.get("error_description") or body["error"])
        body.setdefault("status", result.status)
    headers.pop("Content-Type", None)
    return JSONResponse(body, status_code=result.status, headers=headers)


def _tokens(result: OAuthResponse) -> Response:
    """Tokens as id.twitch.tv answers them: `token_type` bearer and `scope` a list."""
    if result.status == 200 and isinstance(result.body, dict):
        body = {**result.body, "token_type": "bearer",
                "scope": scope_to_list(result.body.get("scope")) or []}
        result = OAuthResponse(result.status, body, result.headers)
    return respond(result)


async def _run(request: Request, call: Callable[[CastlineAuthorizationServer], Any]) -> Any:
    return await asyncio.to_thread(call, Services.of(request).oauth)


async def token(request: Request) -> Response:
    form = await form_request(request, query_too=True)
    if form.form.get("grant_type") != "password":
        return _tokens(await _run(request, lambda s: s.create_token_response(form)))
    services, login = Services.of(request), form.form.get("username", "")
    address = request.client.host if request.client else "unknown"
    limits = login_limits.LoginLimits.from_settings(services.settings)
    await login_limits.attempt(services.redis, limits, login, address)
    result: OAuthResponse = await _run(request, lambda s: s.create_token_response(form))
    if result.status == 200:
        await login_limits.succeeded(services.redis, login, address)
    return _tokens(result)


async def revoke(request: Request) -> Response:
    """RFC 7009; the EventSub subscriptions that rested on the token's grant alone end."""
    form = await form_request(request, query_too=True)
    result: OAuthResponse = await _run(
        request, lambda s: s.create_endpoint_response("revocation", form))
    if result.status == 200:
        await request.app.state.eventsub.token_revoked(str(form.form.get("token", "")))
    return respond(result)


async def introspect(request: Request) -> Response:
    form = await form_request(request)
    return respond(
        await _run(request, lambda s: s.create_endpoint_response("introspection", form)))


async def authorize(request: Request) -> Response:
    """The signed-in user (first-party token) grants an app a code for its redirect URI."""
    caller = await require_user(request)
    if not caller.first_party:
        raise ApiError(403, "first_party_only", "only Castline's own apps may grant consent")
    form = await form_request(request)
    user = User(str(caller.user_id), str(caller.username))
    return respond(await _run(
        request, lambda s: s.create_authorization_response(form, grant_user=user)))


class NewApp(Body):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    redirect_uris: Annotated[list[AnyUrl], Field(max_length=10, default_factory=list)]
    confidential: bool = True
    grant_types: Annotated[
        list[Literal["authorization_code", "refresh_token", "client_credentials",
                     "urn:ietf:params:oauth:grant-type:device_code"]],
        Field(min_length=1, default_factory=lambda: ["authorization_code", "refresh_token"]),
    ]
    scope: Annotated[list[str], Field(max_length=len(SCOPES), default_factory=list)]


async def register_app(request: Request) -> Response:
    """Only through Castline's own apps: an app's token must not register apps in its user's
    name."""
    caller = await require_user(request)
    if not caller.first_party:
        raise ApiError(403, "first_party_only", "apps are registered through Castline's own "
                       "apps, not with another app's token")
    body = await parse_body(request, NewApp)
    _check_app(body)
    secret = secrets.token_urlsafe(32) if body.confidential else None
    client = OAuthClient(
        client_id=secrets.token_urlsafe(16), client_secret_hash=digest(secret) if secret else None,
        name=body.name, redirect_uris=tuple(str(u) for u in body.redirect_uris),
        grant_types=tuple(body.grant_types), scope=" ".join(body.scope or SCOPES),
        first_party=False,
    )
    await asyncio.to_thread(Services.of(request).oauth.store.add_client, client,
                            str(caller.user_id))
    return JSONResponse({"data": {
        "client_id": client.client_id, "client_secret": secret, "name": client.name,
        "redirect_uris": list(client.redirect_uris), "grant_types": list(client.grant_types),
        "scope": client.scope,
    }}, status_code=201)


def _check_app(body: NewApp) -> None:
    unknown = [s for s in body.scope if s not in SCOPES]
    if unknown:
        raise ApiError(422, "invalid_field", f"unknown scopes: {', '.join(unknown)}", "scope")
    if "authorization_code" in body.grant_types and not body.redirect_uris:
        raise ApiError(422, "invalid_field", "the code flow needs a redirect URI",
                       "redirect_uris")
    if "client_credentials" in body.grant_types and not body.confidential:
        raise ApiError(422, "invalid_field", "client credentials need a confidential app",
                       "confidential")
