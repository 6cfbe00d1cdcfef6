"""authlib's authorization server, fed from Starlette requests read ahead of time.

authlib is synchronous: the route reads the request, then runs the server in a worker thread.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc6750 import BearerTokenGenerator

from gateways.oauth import device, grants
from gateways.oauth.models import OAuthClient, User
from gateways.oauth.scopes import ADMIN_SCOPE, SCOPES
from gateways.oauth.store import OAuthStore

ACCESS_TOKEN_TTL_S = 4 * 3600


@dataclass(frozen=True)
class FormRequest:
    """What authlib needs of an HTTP request, already read."""

    method: str
    uri: str
    headers: Mapping[str, str]  # case-insensitive, as HTTP headers are
    form: dict[str, str] = field(default_factory=dict)
    args: dict[str, str] = field(default_factory=dict)


class CastlineOAuth2Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, request: FormRequest) -> None:
        super().__init__(request.method, request.uri, headers=request.headers)
        self._form = request.form
        self._args = request.args
        self.payload = BasicOAuth2Payload({**request.args, **request.form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


# Access tokens in lower case, as Twitch's: chat libraries (tmi.js) lower-case the token they are
# given. 42 characters of 36 hold 217 random bits.
TOKEN_CHARACTERS = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class OAuthResponse:
    status: int
    body: Any
    headers: list[tuple[str, str]]


class CastlineAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, store: OAuthStore) -> None:
        super().__init__(scopes_supported=[*SCOPES, ADMIN_SCOPE])
        self.store = store
        self.register_token_generator("default", BearerTokenGenerator(
            lambda *_args, **_kw: generate_token(42, TOKEN_CHARACTERS),
            lambda *_args, **_kw: generate_token(48),
            lambda _client, _grant_type: ACCESS_TOKEN_TTL_S,
        ))
        self.register_grant(grants.PasswordGrant)
        self.register_grant(grants.RefreshGrant)
        self.register_grant(grants.CodeGrant, [grants.Challenge(required=True)])
        self.register_grant(grants.ClientCredentialsGrant)
        self.register_grant(device.DeviceGrant)
        self.register_endpoint(device.DeviceEndpoint)
        self.register_endpoint(grants.RevocationEndpoint)
        self.register_endpoint(grants.IntrospectionEndpoint)

    def query_client(self, client_id: str) -> OAuthClient | None:
        return self.store.client(client_id)

    def generate_token(self, grant_type: str, client: OAuthClient, user: User | None = None,
                       scope: str | None = None, expires_in: int | None = None,
                       include_refresh_token: bool = True) -> dict[str, Any]:
        """The admin scope joins a first-party token of an admin who asked for it or for no
        scope in particular (then every scope of the client): never an app's, never a
        narrowed token's."""
        token: dict[str, Any] = super().generate_token(
            grant_type, client, user, scope, expires_in, include_refresh_token)
        wants_admin = not scope or ADMIN_SCOPE in scope_to_list(scope)
        if client.first_party and user is not None and wants_admin \
                and self.store.is_admin(user.user_id):
            token["scope"] = " ".join([*scope_to_list(token.get("scope", "")), ADMIN_SCOPE])
        return token

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.store.save_token(token, request.client.client_id, request.user)

    def create_oauth2_request(self, request: FormRequest) -> OAuth2Request:
        return CastlineOAuth2Request(request)

    def handle_response(self, status: int, body: Any, headers: Any) -> OAuthResponse:
        return OAuthResponse(status, body, list(headers or []))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """authlib's hook for observers; Castline has none yet."""
