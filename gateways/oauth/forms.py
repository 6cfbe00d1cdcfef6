"""The form fields of the authorization server's endpoints (RFC 6749, 7009, 7636, 7662), as JSON
schemas of their application/x-www-form-urlencoded bodies for the OpenAPI document."""

from __future__ import annotations

from typing import Any

TEXT = {"type": "string"}
CLIENT = {"client_id": TEXT, "client_secret": TEXT}
TOKEN_HINT = {"type": "string", "enum": ["access_token", "refresh_token"]}


def form(required: tuple[str, ...], **fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": fields}


TOKEN = form(
    ("grant_type",),
    grant_type={"type": "string", "enum": [
        "password", "refresh_token", "authorization_code", "client_credentials",
        "urn:ietf:params:oauth:grant-type:device_code"]},
    username=TEXT, password=TEXT, refresh_token=TEXT, code=TEXT, redirect_uri=TEXT,
    code_verifier=TEXT, scope=TEXT, device_code=TEXT, **CLIENT,
)
DEVICE = form(("client_id",), client_id=TEXT, client_secret=TEXT, scopes=TEXT, scope=TEXT)
REVOKE = form(("token",), token=TEXT, token_type_hint=TOKEN_HINT, **CLIENT)
INTROSPECT = REVOKE
AUTHORIZE = form(
    ("response_type", "client_id"),
    response_type={"type": "string", "enum": ["code"]}, client_id=TEXT, redirect_uri=TEXT,
    scope=TEXT, state=TEXT, code_challenge=TEXT,
    code_challenge_method={"type": "string", "enum": ["S256"]},
)
