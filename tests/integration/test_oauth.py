"""Castline as an OAuth2 server, through HTTP: sign-in, refresh rotation, revocation,
introspection, client credentials, authorization code with PKCE, sign-in rate limits."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import httpx

from tests.integration.oauth_helpers import (
    PASSWORD,
    Account,
    password_grant,
    sign_up,
    signed_in,
)


def test_sign_in_by_username_or_email_returns_bearer_tokens(api: httpx.Client) -> None:
    username, email = sign_up(api)
    for login in (username, email.upper()):
        response = password_grant(api, login)
        assert response.status_code == 200, response.text
        tokens = response.json()
        assert tokens["token_type"] == "bearer"
        assert tokens["expires_in"] > 0
        assert "chat:edit" in tokens["scope"]
        me = api.get("/api/v1/users/me",
                     headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert me.json()["data"]["username"] == username
        assert me.json()["data"]["email"] == email


def test_unknown_user_and_wrong_password_get_the_same_answer(api: httpx.Client) -> None:
    username, _ = sign_up(api)
    wrong = password_grant(api, username, "not the password at all")
    unknown = password_grant(api, f"nobody_{uuid4().hex[:8]}", "not the password at all")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()


def test_requested_scope_narrows_the_token(api: httpx.Client) -> None:
    username, _ = sign_up(api)
    tokens = password_grant(api, username, scope="chat:read").json()
    assert tokens["scope"] == ["chat:read"]
    me = api.get("/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert "email" not in me.json()["data"]


def test_refresh_rotates_and_retires_the_old_pair(api: httpx.Client) -> None:
    account = signed_in(api)
    refreshed = api.post("/oauth2/token", data={
        "grant_type": "refresh_token", "refresh_token": account.refresh_token,
        "client_id": "castline-web"})
    assert refreshed.status_code == 200, refreshed.text
    new = refreshed.json()
    assert new["refresh_token"] != account.refresh_token
    assert api.get("/api/v1/users/me", headers=account.auth).status_code == 401
    assert api.get("/api/v1/users/me",
                   headers={"Authorization": f"Bearer {new['access_token']}"}).status_code == 200
    replay = api.post("/oauth2/token", data={
        "grant_type": "refresh_token", "refresh_token": account.refresh_token,
        "client_id": "castline-web"})
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"


def test_revoked_token_stops_working(api: httpx.Client) -> None:
    account = signed_in(api)
    assert api.get("/api/v1/users/me", headers=account.auth).status_code == 200
    revoked = api.post("/oauth2/revoke", data={
        "token": account.access_token, "client_id": "castline-web"})
    assert revoked.status_code == 200, revoked.text
    after = api.get("/api/v1/users/me", headers=account.auth)
    assert after.status_code == 401
    assert after.json()["error"] == "invalid_token"


def test_missing_or_malformed_bearer_is_401(api: httpx.Client) -> None:
    assert api.get("/api/v1/users/me").status_code == 401
    assert api.get("/api/v1/users/me", headers={"Authorization": "Basic abc"}).status_code == 401
    garbage = api.get("/api/v1/users/me", headers={"Authorization": "Bearer nope"})
    assert garbage.status_code == 401
    assert garbage.headers["www-authenticate"].startswith("Bearer")


def register_app(api: httpx.Client, owner: Account, **body: object) -> dict[str, object]:
    response = api.post("/api/v1/oauth2/clients", headers=owner.auth,
                        json={"name": "my bot", **body})
    assert response.status_code == 201, response.text
    app: dict[str, object] = response.json()["data"]
    return app


def test_bot_uses_client_credentials_and_introspects_its_token(api: httpx.Client) -> None:
    owner = signed_in(api)
    app = register_app(api, owner, grant_types=["client_credentials"], scope=["chat:read"])
    secret_auth = (str(app["client_id"]), str(app["client_secret"]))
    tokens = api.post("/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=secret_auth)
    assert tokens.status_code == 200, tokens.text
    assert "refresh_token" not in tokens.json()
    seen = api.post("/oauth2/introspect", data={"token": tokens.json()["access_token"]},
                    auth=secret_auth).json()
    assert (seen["active"], seen["client_id"], seen["scope"]) == (True, app["client_id"],
                                                                  "chat:read")
    others = api.post("/oauth2/introspect", data={"token": owner.access_token},
                      auth=secret_auth)
    assert others.json().get("active") is not True
    bad = api.post("/oauth2/token", data={"grant_type": "client_credentials"},
                   auth=(str(app["client_id"]), "wrong"))
    assert bad.status_code == 401


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_public_app_gets_a_token_by_code_with_pkce(api: httpx.Client) -> None:
    user = signed_in(api)
    redirect = "http://127.0.0.1:9/callback"
    app = register_app(api, user, confidential=False, redirect_uris=[redirect],
                       grant_types=["authorization_code"])
    verifier, challenge = pkce_pair()
    granted = api.post("/oauth2/authorize", headers=user.auth, params={
        "response_type": "code", "client_id": str(app["client_id"]), "redirect_uri": redirect,
        "scope": "chat:read chat:edit", "state": "xyz", "code_challenge": challenge,
        "code_challenge_method": "S256"})
    assert granted.status_code == 302, granted.text
    location = urlsplit(granted.headers["location"])
    query = parse_qs(location.query)
    assert location.path == "/callback"
    assert query["state"] == ["xyz"]
    exchange = {"grant_type": "authorization_code", "code": query["code"][0],
                "redirect_uri": redirect, "client_id": str(app["client_id"])}
    without_verifier = api.post("/oauth2/token", data=exchange)
    assert without_verifier.status_code == 400
    tokens = api.post("/oauth2/token", data={**exchange, "code_verifier": verifier})
    assert tokens.status_code == 200, tokens.text
    assert set(tokens.json()["scope"]) == {"chat:read", "chat:edit"}
    reused = api.post("/oauth2/token", data={**exchange, "code_verifier": verifier})
    assert reused.status_code == 400
    app_token = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
    another = api.post("/api/v1/oauth2/clients", headers=app_token, json={"name": "sneaky"})
    assert (another.status_code, another.json()["error"]) == (403, "first_party_only")


def test_app_registration_needs_a_user_and_valid_fields(api: httpx.Client) -> None:
    assert api.post("/api/v1/oauth2/clients", json={"name": "x"}).status_code == 401
    user = signed_in(api)
    for body, field in (({"name": "x", "scope": ["root"]}, "scope"),
                        ({"name": "x", "redirect_uris": ["not a url"]}, "redirect_uris.0"),
                        ({"name": "x", "grant_types": ["authorization_code"]}, "redirect_uris")):
        response = api.post("/api/v1/oauth2/clients", headers=user.auth, json=body)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field


def test_repeated_failures_lock_the_account_for_a_while(api: httpx.Client) -> None:
    username, _ = sign_up(api)
    for _ in range(5):
        assert password_grant(api, username, "wrong password here").status_code == 400
    locked = password_grant(api, username, PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert locked.json()["error"] == "too_many_attempts"
