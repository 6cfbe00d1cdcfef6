"""The web app's routes: built files and client routes served, the API's prefixes never."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateways import web

INDEX = '<!doctype html><div id="root"></div>'


async def token(request: Request) -> Response:
    return JSONResponse({"ok": True})


Get = Callable[[str], httpx.Response]


@pytest.fixture
def client(tmp_path: Path) -> Get:
    """GET a path from an app with one API route and the web app built in tmp_path."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "robots.txt").write_text("User-agent: *")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    app = Starlette(routes=[Route("/oauth2/token", token, methods=["POST"]),
                            *web.routes(tmp_path)])

    async def get(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.get(path)

    return lambda path: asyncio.run(get(path))


@pytest.mark.parametrize("path", ["/", "/channels/pixelpaladin", "/dashboard", "/search"])
def test_client_routes_get_the_index(client: Get, path: str) -> None:
    page = client(path)
    assert page.status_code == 200
    assert page.text == INDEX
    assert page.headers["cache-control"] == "no-cache"


def test_built_files_are_served(client: Get) -> None:
    asset = client("/assets/index-abc123.js")
    assert asset.text == "console.log(1)"
    assert "immutable" in asset.headers["cache-control"]
    assert client("/robots.txt").text == "User-agent: *"
    assert client("/assets/missing.js").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api", "/oauth2/nothing", "/ws/channels/x",
                                  "/ingest/rtmp/x", "/media/x.png", "/health", "/ready",
                                  "/helix/raids", "/eventsub/subscriptions", "/mock/users",
                                  "/auth/validate", "/ws"])
def test_api_prefixes_are_never_shadowed(client: Get, path: str) -> None:
    assert client(path).status_code == 404


def test_a_wrong_method_on_an_api_route_stays_405(client: Get) -> None:
    assert client("/oauth2/token").status_code == 405


def test_nothing_is_served_before_a_build(tmp_path: Path) -> None:
    assert web.routes(tmp_path) == []
