"""Signing up and signing in through the public API, for tests."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

import httpx

from castline.admin import grant_admin
from config.settings import Settings

PASSWORD = "correct horse battery"
WEB_CLIENT = "castline-web"


@dataclass(frozen=True)
class Account:
    username: str
    email: str
    access_token: str
    refresh_token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def sign_up(api: httpx.Client, prefix: str = "u") -> tuple[str, str]:
    username = f"{prefix}_{uuid4().hex[:12]}"
    email = f"{username}@example.com"
    response = api.post("/api/v1/users", json={
        "username": username, "email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    position = response.json()["position"]
    assert api.get(f"/api/v1/users/{username}",
                   params={"min_position": position}).status_code == 200
    return username, email


def password_grant(api: httpx.Client, login: str, password: str = PASSWORD,
                   **extra: str) -> httpx.Response:
    return api.post("/oauth2/token", data={
        "grant_type": "password", "username": login, "password": password,
        "client_id": WEB_CLIENT, **extra})


def signed_in(api: httpx.Client, prefix: str = "u") -> Account:
    username, email = sign_up(api, prefix)
    response = password_grant(api, username)
    assert response.status_code == 200, response.text
    tokens = response.json()
    return Account(username, email, tokens["access_token"], tokens["refresh_token"])


def admin_signed_in(api: httpx.Client, settings: Settings, prefix: str = "adm") -> Account:
    """A platform admin, signed in after the grant so that the token carries the admin scope."""
    username, email = sign_up(api, prefix)
    position = grant_admin(settings, username)
    assert api.get(f"/api/v1/users/{username}",
                   params={"min_position": position.token}).status_code == 200
    response = password_grant(api, username)
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert "admin" in tokens["scope"], tokens["scope"]
    return Account(username, email, tokens["access_token"], tokens["refresh_token"])
