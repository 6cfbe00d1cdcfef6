"""OAuth's device code flow over HTTP: a device asks for a code at /oauth2/device (as at
id.twitch.tv), and the signed-in user approves or denies it through Castline's own apps."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.auth import Principal, require_user
from gateways.bodies import Body, parse_body
from gateways.errors import ApiError
from gateways.oauth import forms
from gateways.oauth.device import normal_user_code
from gateways.oauth.device_store import DeviceCredential, DeviceStore
from gateways.oauth.models import User
from gateways.oauth_routes import form_request, respond
from gateways.openapi import Endpoint
from gateways.state import Services


async def device(request: Request) -> Response:
    """Twitch names the scopes `scopes`; RFC 8628 `scope`: either is taken."""
    form = await form_request(request, query_too=True)
    if "scope" not in form.form and "scopes" in form.form:
        form = replace(form, form={**form.form, "scope": form.form["scopes"]})
    result = await asyncio.to_thread(
        Services.of(request).oauth.create_endpoint_response, "device_authorization", form)
    if result.status == 200:
        body = dict(result.body)
        body.pop("verification_uri_complete", None)
        base = str(request.base_url).rstrip("/")
        body["verification_uri"] = (f"{base}{body['verification_uri']}?public=true"
                                    f"&device-code={body['user_code']}")
        return JSONResponse(body)
    return respond(result)


class DeviceAnswer(Body):
    approve: bool


async def _signed_in(request: Request) -> Principal:
    caller = await require_user(request)
    if not caller.first_party:
        raise ApiError(403, "first_party_only", "only Castline's own apps may approve a device")
    return caller


def _store(request: Request) -> DeviceStore:
    return DeviceStore(Services.of(request).oauth.store.pool)


async def _pending(request: Request) -> tuple[str, DeviceCredential]:
    code = normal_user_code(request.path_params["user_code"])
    found = await asyncio.to_thread(_store(request).by_user_code, code)
    if found is None:
        raise ApiError(404, "not_found", "no device is waiting with that code, or it expired",
                       "user_code")
    return code, found


def _described(request: Request, credential: DeviceCredential) -> dict[str, Any]:
    client = Services.of(request).oauth.store.client(credential.client_id)
    return {"user_code": credential.user_code, "client_id": credential.client_id,
            "client_name": client.name if client else credential.client_id,
            "scopes": credential.scope.split(), "status": _status(credential)}


def _status(credential: DeviceCredential) -> str:
    if credential.approved is None:
        return "pending"
    return "approved" if credential.approved else "denied"


async def read_device(request: Request) -> Response:
    await _signed_in(request)
    _, credential = await _pending(request)
    described = await asyncio.to_thread(_described, request, credential)
    return JSONResponse({"data": described})


async def answer_device(request: Request) -> Response:
    """Once: a code already approved or denied is 409."""
    caller = await _signed_in(request)
    answer = await parse_body(request, DeviceAnswer)
    code, credential = await _pending(request)
    user = User(str(caller.user_id), str(caller.username))
    if not await asyncio.to_thread(_store(request).answer, code, user, answer.approve):
        raise ApiError(409, "already_answered", "that code was already approved or denied")
    answered = replace(credential, user=user, approved=answer.approve)
    described = await asyncio.to_thread(_described, request, answered)
    return JSONResponse({"data": described})


DEVICE_ENDPOINTS = [
    Endpoint("POST", "/oauth2/device",
             device, "Start the device code flow (RFC 8628): a device code, the user code a "
             "person enters at verification_uri, expires_in and the polling interval",
             form=forms.DEVICE, errors=(401,)),
    Endpoint("GET", "/api/v1/oauth2/device/{user_code}", read_device,
             "The app and scopes a device waiting with this user code asks for",
             scope="user", errors=(401, 403, 404)),
    Endpoint("POST", "/api/v1/oauth2/device/{user_code}", answer_device,
             "Approve or deny a device's request, once (its next poll gets the tokens or "
             "access_denied)", body=DeviceAnswer, scope="user",
             errors=(401, 403, 404, 409, 415, 422)),
]
