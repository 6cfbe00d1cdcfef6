"""Channels through the real path: HTTP -> command -> decider -> event -> projector -> read."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest


def new_name() -> str:
    return f"ch_{uuid4().hex[:16]}"


def create(api: httpx.Client, name: str, **extra: Any) -> httpx.Response:
    body = {"name": name, "title": "First stream", "category": "Celeste", **extra}
    return api.post("/api/v1/channels", json=body)


def read_after(api: httpx.Client, name: str, position: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/channels/{name}", params={"min_position": position})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def test_create_then_read_own_write(api: httpx.Client) -> None:
    name = new_name()
    response = create(api, name.upper(), display_name="Fancy Name")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["data"]["name"] == name
    assert body["event_id"]
    assert body["position"].startswith("channels/")
    assert response.headers["location"].startswith(f"/api/v1/channels/{name}?min_position=")
    channel = read_after(api, name, body["position"])
    assert channel["display_name"] == "Fancy Name"
    assert (channel["title"], channel["category"], channel["version"]) == (
        "First stream", "Celeste", 1)


def test_patch_updates_title_and_category(api: httpx.Client) -> None:
    name = new_name()
    assert create(api, name).status_code == 201
    response = api.patch(f"/api/v1/channels/{name}", json={"title": "Any% attempts"})
    assert response.status_code == 200, response.text
    channel = read_after(api, name, response.json()["position"])
    assert (channel["title"], channel["category"], channel["version"]) == (
        "Any% attempts", "Celeste", 2)
    response = api.patch(f"/api/v1/channels/{name}", json={"category": "Chess"})
    channel = read_after(api, name, response.json()["position"])
    assert (channel["title"], channel["category"], channel["version"]) == (
        "Any% attempts", "Chess", 3)


def test_patch_with_nothing_new_changes_nothing(api: httpx.Client) -> None:
    name = new_name()
    assert create(api, name).status_code == 201
    response = api.patch(f"/api/v1/channels/{name}", json={"title": "First stream"})
    assert response.status_code == 200
    assert response.json()["event_id"] is None


def test_second_create_of_a_name_conflicts(api: httpx.Client) -> None:
    name = new_name()
    assert create(api, name).status_code == 201
    response = create(api, name.upper())
    assert response.status_code == 409
    assert response.json() == {
        "error": "channel_exists", "message": f"channel {name!r} already exists", "field": "name"}


def test_idempotency_key_replays_the_same_outcome(api: httpx.Client) -> None:
    name, key = new_name(), uuid4().hex
    body = {"name": name, "title": "t", "category": "c"}
    first = api.post("/api/v1/channels", json=body, headers={"Idempotency-Key": key})
    again = api.post("/api/v1/channels", json=body, headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["event_id"] == first.json()["event_id"]
    assert again.json()["position"] == first.json()["position"]


def test_patch_of_unknown_channel_is_404(api: httpx.Client) -> None:
    response = api.patch(f"/api/v1/channels/{new_name()}", json={"title": "x"})
    assert response.status_code == 404
    assert response.json()["error"] == "channel_not_found"


def test_read_of_unknown_channel_is_404(api: httpx.Client) -> None:
    response = api.get(f"/api/v1/channels/{new_name()}")
    assert response.status_code == 404
    assert response.json()["error"] == "channel_not_found"


@pytest.mark.parametrize(
    ("body", "error", "field"),
    [
        ({"title": "t", "category": "c"}, "missing_field", "name"),
        ({"name": "abc", "title": "t", "category": "c"}, "invalid_field", "name"),
        ({"name": "has space!", "title": "t", "category": "c"}, "invalid_field", "name"),
        ({"name": "okname", "title": "t" * 141, "category": "c"}, "invalid_field", "title"),
        ({"name": "okname", "title": "", "category": "c"}, "invalid_field", "title"),
        ({"name": "okname", "title": 5, "category": "c"}, "invalid_field", "title"),
        ({"name": "okname", "title": "t", "category": "c", "owner": "x"}, "invalid_field",
         "owner"),
    ],
)
def test_bad_create_bodies_name_the_field(
    api: httpx.Client, body: dict[str, Any], error: str, field: str
) -> None:
    response = api.post("/api/v1/channels", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == error
    assert response.json()["field"] == field
    assert response.json()["message"]


def test_empty_patch_is_422(api: httpx.Client) -> None:
    response = api.patch(f"/api/v1/channels/{new_name()}", json={})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_field"


def test_malformed_json_is_400(api: httpx.Client) -> None:
    response = api.post("/api/v1/channels", content=b"{nope",
                        headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"


def test_non_object_json_is_400(api: httpx.Client) -> None:
    response = api.post("/api/v1/channels", json=["a"])
    assert response.status_code == 400


def test_wrong_content_type_is_415(api: httpx.Client) -> None:
    response = api.post("/api/v1/channels", content=b"name=x",
                        headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415


def test_bad_min_position_is_400(api: httpx.Client) -> None:
    response = api.get(f"/api/v1/channels/{new_name()}", params={"min_position": "garbage"})
    assert response.status_code == 400
    assert response.json()["field"] == "min_position"


def test_list_pages_with_a_cursor(api: httpx.Client) -> None:
    category = f"cat-{uuid4().hex[:8]}"
    names = sorted(new_name() for _ in range(5))
    last = ""
    for name in names:
        last = create(api, name, category=category).json()["position"]
    read_after(api, names[-1], last)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"first": "2", "category": category, **({"after": cursor} if cursor else {})}
        page = api.get("/api/v1/channels", params=params).json()
        seen += [c["name"] for c in page["data"]]
        cursor = page["pagination"]["cursor"]
        if cursor is None:
            break
    assert seen == names


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


def test_openapi_lists_every_endpoint(api: httpx.Client) -> None:
    spec = api.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]["/api/v1/channels"]) == {"get", "post"}
    assert set(spec["paths"]["/api/v1/channels/{name}"]) == {"get", "patch"}


def test_health_ready_and_request_ids(api: httpx.Client) -> None:
    assert api.get("/health").json() == {"status": "ok"}
    ready = api.get("/ready")
    assert ready.status_code == 200, ready.text
    assert all(check["ok"] for check in ready.json()["checks"].values())
    echoed = api.get("/health", headers={"X-Request-Id": "trace-123"})
    assert echoed.headers["x-request-id"] == "trace-123"
    assert len(api.get("/health").headers["x-request-id"]) == 32
