"""Registration through the real path: HTTP -> username decider -> email decider -> users."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.running import CLIENT_TIMEOUT_S, RunningPlatform

PASSWORD = "correct horse battery"


def new_username() -> str:
    return f"u_{uuid4().hex[:12]}"


def register(api: httpx.Client, username: str, email: str | None = None,
             **extra: Any) -> httpx.Response:
    body = {"username": username, "email": email or f"{username}@example.com",
            "password": PASSWORD, **extra}
    return api.post("/api/v1/users", json=body)


def test_register_then_read_the_profile(api: httpx.Client) -> None:
    username = new_username()
    response = register(api, username.upper(), email=f"{username}@Example.COM",
                        display_name="Fancy")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["data"] == {"username": username, "display_name": "Fancy"}
    profile = api.get(f"/api/v1/users/{username}", params={"min_position": body["position"]})
    assert profile.status_code == 200, profile.text
    data = profile.json()["data"]
    assert (data["username"], data["display_name"], data["type"]) == (username, "Fancy", "viewer")
    assert "email" not in data
    assert "password_hash" not in data


def test_username_is_unique_case_insensitively(api: httpx.Client) -> None:
    username = new_username()
    assert register(api, username).status_code == 201
    again = register(api, username.upper(), email=f"other-{username}@example.com")
    assert again.status_code == 409
    assert again.json()["error"] == "username_taken"
    assert again.json()["field"] == "username"


def test_email_is_unique_and_a_refused_registration_frees_its_username(
    api: httpx.Client,
) -> None:
    first, second = new_username(), new_username()
    email = f"{first}@example.com"
    assert register(api, first, email=email).status_code == 201
    refused = register(api, second, email=email.upper())
    assert refused.status_code == 409
    assert refused.json()["error"] == "email_taken"
    assert refused.json()["field"] == "email"
    assert register(api, second).status_code == 201


def test_simultaneous_registrations_of_one_name_give_one_201_and_one_409(
    platform: RunningPlatform,
) -> None:
    username = new_username()

    def attempt(n: int) -> int:
        with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as client:
            return register(client, username, email=f"{n}-{username}@example.com").status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = sorted(pool.map(attempt, range(2)))
    assert codes == [201, 409]


def test_idempotency_key_replays_the_registration(api: httpx.Client) -> None:
    username, key = new_username(), uuid4().hex
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    first = api.post("/api/v1/users", json=body, headers={"Idempotency-Key": key})
    again = api.post("/api/v1/users", json=body, headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["event_id"] == first.json()["event_id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "abc"}, "username"),
        ({"username": "x" * 26}, "username"),
        ({"username": "no-dashes"}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),
        ({"password": "x" * 129}, "password"),
        ({"display_name": ""}, "display_name"),
        ({"is_admin": True}, "is_admin"),
    ],
)
def test_bad_registrations_name_the_field(
    api: httpx.Client, change: dict[str, Any], field: str
) -> None:
    username = new_username()
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD,
            **change}
    response = api.post("/api/v1/users", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert PASSWORD not in response.text


def test_password_containing_the_username_is_refused(api: httpx.Client) -> None:
    username = new_username()
    response = register(api, username, password=f"my-{username}-pass")
    assert response.status_code == 422
    assert "username" in response.json()["message"]


def test_unknown_user_is_404(api: httpx.Client) -> None:
    response = api.get(f"/api/v1/users/{new_username()}")
    assert response.status_code == 404
    assert response.json()["error"] == "user_not_found"
