"""Input no store can hold is refused at the gateway with a 4xx naming the field, wherever it
comes from (query, path, JSON and form bodies, WebSocket frames), and never reaches the log."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.integration.money import GOOD_CARD, key, with_channel
from tests.integration.oauth_helpers import PASSWORD, WEB_CLIENT, signed_in
from tests.integration.test_channels_api import patch, read_after
from tests.integration.test_chat import frames, join, ws_url
from tests.running import RunningPlatform


def cursor(document: str) -> str:
    """A cursor as the API writes them (base64 of JSON), holding what a client chose."""
    return base64.urlsafe_b64encode(document.encode()).decode()


def refused(response: httpx.Response, status: int, field: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["field"] == field, body
    assert body["message"]
    return body


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/v1/channels", {"first": "²"}, "first"),
    ("/api/v1/streams", {"first": "²"}, "first"),
    ("/api/v1/categories", {"query": "\x00"}, "query"),
    ("/api/v1/search", {"query": "a\x1b"}, "query"),
    ("/api/v1/channels/nobody_here", {"min_position": "channels/²/1"}, "min_position"),
    ("/api/v1/channels", {"after": cursor('"a\\u0000b"')}, "after"),
    ("/api/v1/channels", {"after": cursor('"\\ud800"')}, "after"),
    ("/api/v1/channels", {"after": cursor("[" * 3000 + "]" * 3000)}, "after"),
    ("/api/v1/streams", {"after": cursor('[3000000000, "a"]')}, "after"),
])
def test_bad_query_parameters_are_400(api: httpx.Client, path: str, params: dict[str, str],
                                      field: str) -> None:
    refused(api.get(path, params=params), 400, field)


def test_a_control_character_in_the_path_is_400(api: httpx.Client) -> None:
    assert refused(api.get("/api/v1/channels/%00"), 400, "path")["error"] == "invalid_text"


def test_a_position_past_a_long_is_422(api: httpx.Client) -> None:
    response = api.get("/api/v1/channels/nobody_here",
                       params={"min_position": f"channels/0/{2**63}"})
    refused(response, 422, "min_position")


@pytest.mark.parametrize("raw", [
    '{"username": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"username": ' + "[" * 40 + "]" * 40 + "}",
    '{"username": "x", "n": ' + "9" * 5000 + "}",
    '{"username": NaN}',
])
def test_json_the_parser_or_the_stores_cannot_take_is_400(api: httpx.Client, raw: str) -> None:
    response = api.post("/api/v1/users", content=raw,
                        headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "malformed_json"


def test_a_donation_past_a_long_is_422(api: httpx.Client) -> None:
    streamer, fan = with_channel(api, "rich"), signed_in(api, "donor")
    response = api.post(f"/api/v1/channels/{streamer.username}/donations", json={
        "amount": 2**63, "currency": "USD", "card_number": GOOD_CARD},
        headers={**fan.auth, "Idempotency-Key": key()})
    assert refused(response, 422, "amount")["error"] == "out_of_range"


def test_earnings_before_any_ledger_day_are_400(api: httpx.Client) -> None:
    streamer = with_channel(api, "earner")
    response = api.get(f"/api/v1/channels/{streamer.username}/earnings",
                       params={"until": "0001-01-01"}, headers=streamer.auth)
    refused(response, 400, "until")


def test_a_nul_in_a_title_is_400_and_the_channel_still_decides(api: httpx.Client) -> None:
    account = with_channel(api, "nul")
    refused(patch(api, account, account.username, title="x\x00y"), 400, "title")
    refused(patch(api, account, account.username, tags=["ok", "b\x00d"]), 400, "tags.1")
    changed = patch(api, account, account.username, title="still deciding")
    assert changed.status_code == 200, changed.text
    channel = read_after(api, account.username, changed.json()["position"])
    assert channel["title"] == "still deciding"


def test_a_nul_in_a_display_name_is_400(api: httpx.Client) -> None:
    response = api.post("/api/v1/users", json={
        "username": f"nul_{key()[:12]}", "email": f"nul_{key()[:12]}@example.com",
        "password": PASSWORD, "display_name": "Bad\x00Name"})
    assert refused(response, 400, "display_name")["error"] == "invalid_text"


def test_line_breaks_only_where_a_field_allows_them(api: httpx.Client) -> None:
    account = signed_in(api, "lines")
    bio = api.patch("/api/v1/users/me", json={"bio": "first line\nsecond line"},
                    headers=account.auth)
    assert bio.status_code == 202, bio.text
    refused(api.patch("/api/v1/users/me", json={"display_name": "two\nlines"},
                      headers=account.auth), 400, "display_name")
    refused(api.patch("/api/v1/users/me", json={"bio": "a bell\x07"}, headers=account.auth),
            400, "bio")


def test_a_control_character_in_a_form_is_400(api: httpx.Client) -> None:
    response = api.post("/oauth2/token", data={
        "grant_type": "password", "username": "some\x00one", "password": PASSWORD,
        "client_id": WEB_CLIENT})
    refused(response, 400, "username")


def test_a_control_character_in_a_chat_frame_is_refused(
        platform: RunningPlatform, api: httpx.Client) -> None:
    streamer, fan = with_channel(api, "frames"), signed_in(api, "fan")
    with join(platform.base_url, streamer.username, fan) as ws:
        ws.send(json.dumps({"type": "message", "text": "hi\x00there", "nonce": "n1"}))
        [error] = frames(ws, "error", 1)
        assert (error["reason"], error["field"], error["nonce"]) == ("invalid_text", "text", "n1")
        ws.send(json.dumps({"type": "message", "text": "hi there", "nonce": "n2"}))
        assert frames(ws, "ack", 1)[0]["nonce"] == "n2"


def test_a_control_character_in_a_socket_path_is_refused_at_the_handshake(
        platform: RunningPlatform) -> None:
    with pytest.raises(InvalidStatus) as refused_handshake:
        connect(ws_url(platform.base_url, "%00"), open_timeout=10)
    answer = refused_handshake.value.response
    assert answer.status_code == 400
    assert json.loads(answer.body or b"{}")["field"] == "path"
