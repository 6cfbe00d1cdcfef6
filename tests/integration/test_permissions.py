"""Every protected endpoint against anonymous / other user / owner / moderator / admin."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from castline.settings import Settings
from tests.integration.money import buy, key
from tests.integration.oauth_helpers import (
    Account,
    admin_signed_in,
    password_grant,
    sign_up,
    signed_in,
)
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform

ROLES = ("anonymous", "other", "owner", "moderator", "admin")


@dataclass(frozen=True)
class Cast:
    owner: Account
    moderator: Account
    other: Account
    admin: Account

    def headers(self, role: str) -> dict[str, str]:
        return {} if role == "anonymous" else getattr(self, role).auth


@pytest.fixture(scope="module")
def cast(platform: RunningPlatform) -> Iterator[Cast]:
    with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as api:
        owner, moderator, other = (signed_in(api, p) for p in ("own", "mod", "oth"))
        added = api.post(f"/api/v1/channels/{owner.username}/moderators",
                         json={"username": moderator.username}, headers=owner.auth)
        assert added.status_code == 201, added.text
        yield Cast(owner, moderator, other, admin_signed_in(api, platform.settings))


Call = Callable[[httpx.Client, Cast, dict[str, str]], httpx.Response]


def edit_channel(api: httpx.Client, cast: Cast, headers: dict[str, str]) -> httpx.Response:
    return api.patch(f"/api/v1/channels/{cast.owner.username}", json={"title": "matrix"},
                     headers=headers)


def add_moderator(api: httpx.Client, cast: Cast, headers: dict[str, str]) -> httpx.Response:
    target, _ = sign_up(api, "tgt")
    return api.post(f"/api/v1/channels/{cast.owner.username}/moderators",
                    json={"username": target}, headers=headers)


def remove_moderator(api: httpx.Client, cast: Cast, headers: dict[str, str]) -> httpx.Response:
    target, _ = sign_up(api, "tgt")
    added = api.post(f"/api/v1/channels/{cast.owner.username}/moderators",
                     json={"username": target}, headers=cast.owner.auth)
    assert added.status_code == 201, added.text
    return api.delete(f"/api/v1/channels/{cast.owner.username}/moderators/{target}",
                      headers=headers)


def read_me(api: httpx.Client, cast: Cast, headers: dict[str, str]) -> httpx.Response:
    return api.get("/api/v1/users/me", headers=headers)


def edit_profile(api: httpx.Client, cast: Cast, headers: dict[str, str]) -> httpx.Response:
    return api.patch("/api/v1/users/me", json={"bio": "hello"}, headers=headers)


def grant_role(api: httpx.Client, cast: Cast, headers: dict[str, str]) -> httpx.Response:
    target, _ = sign_up(api, "tgt")
    return api.post(f"/api/v1/users/{target}/roles", json={"role": "admin"}, headers=headers)


def register_app(api: httpx.Client, cast: Cast, headers: dict[str, str]) -> httpx.Response:
    return api.post("/api/v1/oauth2/clients", json={"name": "matrix app",
                    "grant_types": ["client_credentials"]}, headers=headers)


def suspend_channel(api: httpx.Client, cast: Cast, headers: dict[str, str]) -> httpx.Response:
    return api.post(f"/api/v1/channels/{cast.owner.username}/suspension",
                    json={"reason": "matrix"}, headers=headers)


MATRIX: list[tuple[Call, tuple[int, int, int, int, int]]] = [
    (edit_channel, (401, 403, 200, 403, 200)),
    (add_moderator, (401, 403, 201, 403, 201)),
    (remove_moderator, (401, 403, 200, 403, 200)),
    (read_me, (401, 200, 200, 200, 200)),
    (edit_profile, (401, 202, 202, 202, 202)),
    (grant_role, (401, 403, 403, 403, 202)),
    (register_app, (401, 201, 201, 201, 201)),
    (suspend_channel, (401, 403, 403, 403, 200)),
]


@pytest.mark.parametrize(
    ("call", "role", "expected"),
    [(call, role, codes[i]) for call, codes in MATRIX for i, role in enumerate(ROLES)],
    ids=[f"{call.__name__}-{role}" for call, _ in MATRIX for role in ROLES],
)
def test_permission_matrix(platform: RunningPlatform, cast: Cast, call: Call, role: str,
                           expected: int) -> None:
    with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as api:
        response = call(api, cast, cast.headers(role))
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.json()["error"]


def test_a_token_without_the_scope_is_403(api: httpx.Client) -> None:
    account = signed_in(api)
    narrow = api.post("/oauth2/token", data={
        "grant_type": "password", "username": account.username,
        "password": "correct horse battery", "client_id": "castline-web", "scope": "chat:read"})
    headers = {"Authorization": f"Bearer {narrow.json()['access_token']}"}
    response = api.patch(f"/api/v1/channels/{account.username}", json={"title": "x"},
                         headers=headers)
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"


def test_a_narrowed_token_of_an_admin_has_no_admin_powers(api: httpx.Client,
                                                           cast: Cast) -> None:
    narrowed = password_grant(api, cast.admin.username, scope="chat:read")
    assert narrowed.status_code == 200, narrowed.text
    assert narrowed.json()["scope"] == "chat:read"
    headers = {"Authorization": f"Bearer {narrowed.json()['access_token']}"}
    target, _ = sign_up(api, "tgt")
    bought = buy(api, cast.other, 100, key())
    assert bought.status_code == 201, bought.text
    refused = [
        api.post(f"/api/v1/users/{target}/roles", json={"role": "admin"}, headers=headers),
        api.post(f"/api/v1/channels/{cast.owner.username}/suspension", json={"reason": "x"},
                 headers=headers),
        api.post(f"/api/v1/bits/purchases/{bought.json()['event_id']}/refund",
                 headers={**headers, "Idempotency-Key": key()}),
        api.patch(f"/api/v1/channels/{cast.owner.username}", json={"title": "x"},
                  headers={**headers}),
    ]
    for response in refused:
        assert response.status_code == 403, response.text
        assert response.json()["error"] == "insufficient_scope"


def test_apps_and_other_users_never_get_the_admin_scope(api: httpx.Client, cast: Cast) -> None:
    asked = password_grant(api, cast.other.username, scope="admin user:edit")
    assert asked.status_code == 200, asked.text
    assert asked.json()["scope"] == "user:edit"
    app = api.post("/api/v1/oauth2/clients", json={
        "name": "admin wannabe", "grant_types": ["client_credentials"], "scope": ["admin"]},
        headers=cast.admin.auth)
    assert app.status_code == 422, app.text


def test_grant_admin_cli_reports_unknown_users_clearly(settings: Settings) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "castline.cli", "users", "grant-admin", "no_such_user_here"],
        capture_output=True, text=True, env=os.environ.copy(), check=False, timeout=60,
    )
    assert result.returncode == 1
    assert "no user named 'no_such_user_here'" in result.stderr
    assert "Traceback" not in result.stderr
