"""Profiles: display name and bio, images validated, stored and served by URL."""

from __future__ import annotations

import struct
import zlib

import httpx
import pytest

from tests.integration.oauth_helpers import signed_in


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def test_profile_update_is_read_back(api: httpx.Client) -> None:
    account = signed_in(api)
    response = api.patch("/api/v1/users/me", json={"display_name": "Shiny", "bio": "speedruns"},
                         headers=account.auth)
    assert response.status_code == 202, response.text
    read = api.get(f"/api/v1/users/{account.username}",
                   params={"min_position": response.json()["position"]})
    assert read.status_code == 200, read.text
    profile = read.json()["data"]
    assert (profile["display_name"], profile["bio"]) == ("Shiny", "speedruns")


def test_image_upload_is_stored_and_served(api: httpx.Client) -> None:
    account = signed_in(api)
    image = tiny_png()
    response = api.put("/api/v1/users/me/image", content=image,
                       headers={**account.auth, "content-type": "image/png"})
    assert response.status_code == 202, response.text
    url = response.json()["data"]["profile_image_url"]
    assert url.startswith("/media/")
    assert url.endswith(".png")
    read = api.get(f"/api/v1/users/{account.username}",
                   params={"min_position": response.json()["position"]})
    assert read.status_code == 200, read.text
    profile = read.json()["data"]
    assert profile["profile_image_url"] == url
    served = api.get(url)
    assert served.status_code == 200
    assert served.content == image
    assert served.headers["content-type"] == "image/png"


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("image/png", b"GIF89a not a png", 422),
        ("image/svg+xml", b"<svg/>", 415),
        ("text/plain", b"hello", 415),
        ("image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), 413),
    ],
)
def test_bad_images_are_refused(api: httpx.Client, content_type: str, body: bytes,
                                status: int) -> None:
    account = signed_in(api)
    response = api.put("/api/v1/users/me/image", content=body,
                       headers={**account.auth, "content-type": content_type})
    assert response.status_code == status, response.text
    assert response.json()["error"]


def test_a_chat_colour_is_chosen_or_a_stable_default(api: httpx.Client) -> None:
    account = signed_in(api)
    before = api.get(f"/api/v1/users/{account.username}").json()["data"]["chat_color"]
    assert before.startswith("#"), before
    assert api.get(f"/api/v1/users/{account.username}").json()["data"]["chat_color"] == before
    response = api.patch("/api/v1/users/me", json={"chat_color": "#FF7F50"},
                         headers=account.auth)
    assert response.status_code == 202, response.text
    read = api.get(f"/api/v1/users/{account.username}",
                   params={"min_position": response.json()["position"]})
    assert read.json()["data"]["chat_color"] == "#ff7f50"


@pytest.mark.parametrize(("body", "field"), [({"bio": "x" * 301}, "bio"),
                                             ({"display_name": ""}, "display_name"),
                                             ({"chat_color": "#0000ff"}, "chat_color"),
                                             ({"chat_color": "red"}, "chat_color"),
                                             ({"email": "x@y.z"}, "email")])
def test_bad_profile_fields_are_named(api: httpx.Client, body: dict[str, str],
                                      field: str) -> None:
    account = signed_in(api)
    response = api.patch("/api/v1/users/me", json=body, headers=account.auth)
    assert response.status_code == 422
    assert response.json()["field"] == field
