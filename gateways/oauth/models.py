"""The objects authlib's grants work with, read from the authorization server's store."""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin
from authlib.oauth2.rfc6749.util import list_to_scope, scope_to_list


def digest(secret: str) -> str:
    """Tokens, codes and client secrets are random and long; SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class User:
    user_id: str
    username: str

    def get_user_id(self) -> str:
        return self.user_id


@dataclass(frozen=True)
class OAuthClient(ClientMixin):  # type: ignore[misc]
    client_id: str
    client_secret_hash: str | None
    name: str
    redirect_uris: tuple[str, ...]
    grant_types: tuple[str, ...]
    scope: str
    first_party: bool

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return self.scope
        allowed = set(self.scope.split())
        return str(list_to_scope([s for s in scope_to_list(scope) if s in allowed]))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        stored = self.client_secret_hash
        return stored is not None and hmac.compare_digest(digest(client_secret), stored)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.client_secret_hash is None:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass(frozen=True)
class StoredToken(TokenMixin):  # type: ignore[misc]
    access_token_hash: str
    client: OAuthClient
    user: User | None
    scope: str
    issued_at: float
    expires_in: int
    revoked: bool

    def check_client(self, client: ClientMixin) -> bool:
        return bool(client.get_client_id() == self.client.client_id)

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> User | None:
        return self.user

    def get_client(self) -> OAuthClient:
        return self.client


@dataclass(frozen=True)
class StoredCode(AuthorizationCodeMixin):  # type: ignore[misc]
    code_hash: str
    client_id: str
    user: User
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope
