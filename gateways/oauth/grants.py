"""The grants and endpoints Castline's authorization server offers, over its store."""

from __future__ import annotations

import time
from typing import Any

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7009 import RevocationEndpoint as _Revocation
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint as _Introspection

from gateways.oauth.models import OAuthClient, StoredCode, StoredToken, User
from gateways.oauth.store import OAuthStore
from gateways.passwords import hash_password_now, verify_password

REFRESH_TTL_S = 30 * 24 * 3600
SECRET_CLIENT_AUTH = ("client_secret_basic", "client_secret_post")
ANY_CLIENT_AUTH = (*SECRET_CLIENT_AUTH, "none")

# Verified against when the login names nobody, so both failures cost the same time.
_DUMMY_HASH = hash_password_now("castline-no-such-user")


class StoreBound:
    """authlib builds a grant or endpoint per request with the server; the store is the server's."""

    server: Any

    @property
    def store(self) -> OAuthStore:
        store: OAuthStore = self.server.store
        return store


class PasswordGrant(StoreBound, grants.ResourceOwnerPasswordCredentialsGrant):  # type: ignore[misc]
    """First-party sign-in with username or email and password."""

    TOKEN_ENDPOINT_AUTH_METHODS = ANY_CLIENT_AUTH

    def authenticate_user(self, username: str, password: str) -> User | None:
        found = self.store.login(username)
        if found is None:
            verify_password(_DUMMY_HASH, password)
            return None
        user, password_hash = found
        return user if verify_password(password_hash, password) else None


class RefreshGrant(StoreBound, grants.RefreshTokenGrant):  # type: ignore[misc]
    """Each refresh returns a new refresh token and revokes the old pair (rotation)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ANY_CLIENT_AUTH
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> StoredToken | None:
        token = self.store.token("refresh_token_hash", refresh_token)
        if token is None or token.revoked or time.time() > token.issued_at + REFRESH_TTL_S:
            return None
        return token

    def authenticate_user(self, refresh_token: StoredToken) -> User | None:
        return refresh_token.user

    def revoke_old_credential(self, refresh_token: StoredToken) -> None:
        self.store.revoke(refresh_token.access_token_hash)


class CodeGrant(StoreBound, grants.AuthorizationCodeGrant):  # type: ignore[misc]
    """Third-party apps: authorization code, with PKCE required of public clients."""

    TOKEN_ENDPOINT_AUTH_METHODS = ANY_CLIENT_AUTH

    def save_authorization_code(self, code: str, request: Any) -> None:
        fields = {
            "redirect_uri": request.payload.redirect_uri,
            "scope": request.client.get_allowed_scope(request.payload.scope),
            "code_challenge": request.payload.data.get("code_challenge"),
            "code_challenge_method": request.payload.data.get("code_challenge_method"),
        }
        self.store.save_code(code, request.client.client_id, request.user, fields)

    def query_authorization_code(self, code: str, client: OAuthClient) -> StoredCode | None:
        return self.store.code(code, client.client_id)

    def delete_authorization_code(self, authorization_code: StoredCode) -> None:
        self.store.delete_code(authorization_code.code_hash)

    def authenticate_user(self, authorization_code: StoredCode) -> User:
        return authorization_code.user


class Challenge(CodeChallenge):  # type: ignore[misc]
    def get_authorization_code_challenge(self, authorization_code: StoredCode) -> str | None:
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, code: StoredCode) -> str | None:
        return code.code_challenge_method


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    """Bots and tools acting as themselves."""

    TOKEN_ENDPOINT_AUTH_METHODS = SECRET_CLIENT_AUTH


def _find(store: OAuthStore, token_string: str, hint: str | None) -> StoredToken | None:
    order = ["refresh_token_hash", "access_token_hash"]
    if hint != "refresh_token":
        order.reverse()
    return next((t for c in order if (t := store.token(c, token_string)) is not None), None)


class RevocationEndpoint(StoreBound, _Revocation):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ANY_CLIENT_AUTH

    def authenticate_endpoint_client(self, request: Any) -> OAuthClient:
        """As on Twitch, holding a token is enough to revoke it: without a secret, `client_id`
        names the app (the token must still be that app's)."""
        client_id = request.payload.client_id
        if client_id and "client_secret" not in request.payload.data \
                and "authorization" not in request.headers:
            client = self.store.client(client_id)
            if client is not None:
                request.client = client
                return client
        found: OAuthClient = super().authenticate_endpoint_client(request)
        return found

    def query_token(self, token_string: str, token_type_hint: str | None) -> StoredToken | None:
        return _find(self.store, token_string, token_type_hint)

    def revoke_token(self, token: StoredToken, request: Any) -> None:
        self.store.revoke(token.access_token_hash)


class IntrospectionEndpoint(StoreBound, _Introspection):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = SECRET_CLIENT_AUTH

    def query_token(self, token_string: str, token_type_hint: str | None) -> StoredToken | None:
        return _find(self.store, token_string, token_type_hint)

    def check_permission(self, token: StoredToken, client: OAuthClient, request: Any) -> bool:
        """Resource servers of the platform may introspect any token; apps only their own."""
        return client.first_party or token.check_client(client)

    def introspect_token(self, token: StoredToken) -> dict[str, Any]:
        user = token.get_user()
        return {
            "active": True, "client_id": token.client.client_id, "token_type": "Bearer",
            "scope": token.scope, "sub": user.user_id if user else None,
            "username": user.username if user else None,
            "iat": int(token.issued_at), "exp": int(token.issued_at + token.expires_in),
        }
