"""Channels through the real path: registration creates them, the broadcaster edits them."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.integration.oauth_helpers import Account, signed_in
from tests.waiting import until


def channel_of(api: httpx.Client, account: Account) -> dict[str, Any]:
    """The channel registration created, once projected."""
    response = until(lambda: api.get(f"/api/v1/channels/{account.username}"),
                     lambda r: r.status_code == 200, 20, "the new user's channel")
    data: dict[str, Any] = response.json()["data"]
    return data


def read_after(api: httpx.Client, name: str, position: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/channels/{name}", params={"min_position": position})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def patch(api: httpx.Client, account: Account, name: str, **body: Any) -> httpx.Response:
    return api.patch(f"/api/v1/channels/{name}", json=body, headers=account.auth)


def test_every_new_user_owns_a_channel_named_after_them(api: httpx.Client) -> None:
    account = signed_in(api)
    channel = channel_of(api, account)
    me = api.get("/api/v1/users/me", headers=account.auth).json()["data"]
    assert channel["name"] == account.username
    assert channel["broadcaster_id"] == me["id"]
    assert (channel["title"], channel["category"], channel["version"]) == ("", "", 1)


def test_broadcaster_updates_and_reads_own_write(api: httpx.Client) -> None:
    account = signed_in(api)
    response = patch(api, account, account.username, title="Any% attempts", category="Celeste")
    assert response.status_code == 200, response.text
    assert response.json()["event_id"]
    channel = read_after(api, account.username, response.json()["position"])
    assert (channel["title"], channel["category"], channel["version"]) == (
        "Any% attempts", "Celeste", 2)
    response = patch(api, account, account.username, category="Chess")
    channel = read_after(api, account.username, response.json()["position"])
    assert (channel["title"], channel["category"], channel["version"]) == (
        "Any% attempts", "Chess", 3)


def test_patch_with_nothing_new_changes_nothing(api: httpx.Client) -> None:
    account = signed_in(api)
    patch(api, account, account.username, title="Same")
    response = patch(api, account, account.username, title="Same")
    assert response.status_code == 200
    assert response.json()["event_id"] is None


def test_patch_of_unknown_channel_is_404(api: httpx.Client) -> None:
    account = signed_in(api)
    response = patch(api, account, f"nope_{uuid4().hex[:12]}", title="x")
    assert response.status_code == 404
    assert response.json()["error"] == "channel_not_found"


def test_read_of_unknown_channel_is_404(api: httpx.Client) -> None:
    response = api.get(f"/api/v1/channels/nope_{uuid4().hex[:12]}")
    assert response.status_code == 404
    assert response.json()["error"] == "channel_not_found"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "t" * 141}, "title"),
        ({"title": ""}, "title"),
        ({"title": 5}, "title"),
        ({"category": "c" * 101}, "category"),
        ({"category": "Not A Real Game"}, "category"),
        ({"tags": ["has space"]}, "tags.0"),
        ({"tags": [f"t{n}" for n in range(11)]}, "tags"),
        ({"language": "english"}, "language"),
        ({"title": "t", "owner": "x"}, "owner"),
    ],
)
def test_bad_patch_bodies_name_the_field(
    api: httpx.Client, body: dict[str, Any], field: str
) -> None:
    account = signed_in(api)
    response = patch(api, account, account.username, **body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert response.json()["message"]


def test_empty_patch_is_422(api: httpx.Client) -> None:
    account = signed_in(api)
    response = patch(api, account, account.username)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_field"


def test_malformed_json_is_400(api: httpx.Client) -> None:
    account = signed_in(api)
    response = api.patch(f"/api/v1/channels/{account.username}", content=b"{nope",
                         headers={**account.auth, "content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"


def test_non_object_json_is_400(api: httpx.Client) -> None:
    account = signed_in(api)
    response = api.patch(f"/api/v1/channels/{account.username}", json=["a"],
                         headers=account.auth)
    assert response.status_code == 400


def test_wrong_content_type_is_415(api: httpx.Client) -> None:
    account = signed_in(api)
    response = api.patch(f"/api/v1/channels/{account.username}", content=b"title=x",
                         headers={**account.auth,
                                  "content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415


def test_bad_min_position_is_400(api: httpx.Client) -> None:
    response = api.get("/api/v1/channels/whatever", params={"min_position": "garbage"})
    assert response.status_code == 400
    assert response.json()["field"] == "min_position"


def test_list_pages_with_a_cursor(api: httpx.Client) -> None:
    tag = f"t{uuid4().hex[:12]}"
    accounts = [signed_in(api, "list") for _ in range(5)]
    positions = [patch(api, a, a.username, tags=[tag]).json()["position"] for a in accounts]
    # A position is read-your-writes on its own partition only: wait for each channel's.
    for account, position in zip(accounts, positions, strict=True):
        read_after(api, account.username, position)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"first": "2", "tag": tag, **({"after": cursor} if cursor else {})}
        page = api.get("/api/v1/channels", params=params).json()
        seen += [c["name"] for c in page["data"]]
        cursor = page["pagination"]["cursor"]
        if cursor is None:
            break
    assert seen == sorted(a.username for a in accounts)


@pytest.mark.parametrize("params", [{"first": "0"}, {"first": "101"}, {"first": "x"},
                                    {"after": "%%%"}])
def test_bad_list_parameters_are_400(api: httpx.Client, params: dict[str, str]) -> None:
    response = api.get("/api/v1/channels", params=params)
    assert response.status_code == 400, response.text


def test_unknown_route_is_json_404(api: httpx.Client) -> None:
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_wrong_method_is_json_405(api: httpx.Client) -> None:
    response = api.delete("/api/v1/channels")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_openapi_lists_every_endpoint_with_its_scope(api: httpx.Client) -> None:
    spec = api.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]["/api/v1/channels/{name}"]) == {"get", "patch"}
    patch_op = spec["paths"]["/api/v1/channels/{name}"]["patch"]
    assert patch_op["x-scope"] == "channel:manage:broadcast"
    assert "/oauth2/token" in spec["paths"]


def test_health_ready_and_request_ids(api: httpx.Client) -> None:
    assert api.get("/health").json() == {"status": "ok"}
    ready = api.get("/ready")
    assert ready.status_code == 200, ready.text
    assert all(check["ok"] for check in ready.json()["checks"].values())
    echoed = api.get("/health", headers={"X-Request-Id": "trace-123"})
    assert echoed.headers["x-request-id"] == "trace-123"
    assert len(api.get("/health").headers["x-request-id"]) == 32


def test_tags_language_and_catalogued_category_are_read_back(api: httpx.Client) -> None:
    account = signed_in(api)
    response = patch(api, account, account.username, category="elden ring",
                     tags=["Souls", "Blind"], language="fr")
    assert response.status_code == 200, response.text
    assert response.json()["data"]["category"] == "Elden Ring"
    channel = read_after(api, account.username, response.json()["position"])
    assert (channel["category"], channel["tags"], channel["language"]) == (
        "Elden Ring", ["Souls", "Blind"], "fr")
    cleared = patch(api, account, account.username, tags=[])
    assert read_after(api, account.username, cleared.json()["position"])["tags"] == []


def test_categories_are_searched_by_prefix(api: httpx.Client) -> None:
    found = api.get("/api/v1/categories", params={"query": "ce"}).json()["data"]
    names = [c["name"] for c in found]
    assert names == ["Celeste"]
    assert len(api.get("/api/v1/categories").json()["data"]) > 10
