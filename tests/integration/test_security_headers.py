"""Every answer carries a Content-Security-Policy (with frame-ancestors), nosniff and a
Referrer-Policy; the web app's pages get a policy that allows what the app loads."""

from __future__ import annotations

import httpx

from tests.running import RunningPlatform


def directives(response: httpx.Response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    parsed = [part.split() for part in policy.split(";") if part.strip()]
    return {words[0]: words[1:] for words in parsed}


def common(response: httpx.Response) -> dict[str, list[str]]:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'none'"]
    return policy


def test_the_api_and_its_errors_allow_nothing(api: httpx.Client) -> None:
    for response in (api.get("/api/v1/channels"), api.get("/api/v1/users/nobody_here"),
                     api.post("/api/v1/users", content=b"{")):
        assert common(response)["default-src"] == ["'none'"], response.url


def test_web_pages_allow_the_players_media_and_the_chat_socket(
    platform: RunningPlatform, api: httpx.Client
) -> None:
    policy = common(api.get("/channels/anyone"))
    hls = platform.settings.hls.rsplit("/hls", 1)[0]
    host = platform.base_url.split("://", 1)[1]
    assert policy["script-src"] == ["'self'"]
    assert hls in policy["connect-src"]
    assert hls in policy["media-src"]
    assert "blob:" in policy["media-src"]
    assert "blob:" in policy["worker-src"]
    assert f"ws://{host}" in policy["connect-src"]
    assert policy["object-src"] == ["'none'"]
