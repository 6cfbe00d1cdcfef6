"""OAuth as id.twitch.tv answers it: an app's token by client credentials in the query string
(as twitchAPI asks for one), tokens with `scope` a list, revocation by client id alone."""

from __future__ import annotations

import asyncio

import httpx
from twitchAPI.helper import first
from twitchAPI.oauth import revoke_token
from twitchAPI.twitch import Twitch

from tests.integration.oauth_helpers import WEB_CLIENT, signed_in
from tests.integration.test_oauth import register_app
from tests.running import RunningPlatform


async def app_client(base: str, client_id: str, secret: str) -> Twitch:
    """twitchAPI's Twitch with its own app token. It reads the token's answer after closing
    the session that fetched it, so the answer's head and body must arrive together."""
    twitch: Twitch = await Twitch(client_id, secret, base_url=f"{base}/helix/",
                                  auth_base_url=f"{base}/oauth2/")
    return twitch


def test_twitchapi_reads_helix_with_an_app_token(platform: RunningPlatform,
                                                  api: httpx.Client) -> None:
    owner = signed_in(api, "app")
    app = register_app(api, owner, grant_types=["client_credentials"])
    base = platform.base_url

    async def scenario() -> tuple[str, bool]:
        twitch = await app_client(base, str(app["client_id"]), str(app["client_secret"]))
        try:
            found = await first(twitch.get_users(logins=[owner.username]))
            assert found is not None
            assert found.login == owner.username
            token = twitch.get_app_token()
            assert token is not None
            return token, await revoke_token(str(app["client_id"]), token,
                                             auth_base_url=f"{base}/oauth2/")
        finally:
            await twitch.close()  # type: ignore[no-untyped-call]

    token, revoked = asyncio.run(scenario())
    assert revoked
    headers = {"Authorization": f"Bearer {token}", "Client-Id": str(app["client_id"])}
    assert api.get("/helix/streams", headers=headers).status_code == 401


def test_an_app_token_names_whom_it_reads(api: httpx.Client) -> None:
    app = register_app(api, signed_in(api, "app"), grant_types=["client_credentials"])
    tokens = api.post("/oauth2/token", params={
        "grant_type": "client_credentials", "client_id": str(app["client_id"]),
        "client_secret": str(app["client_secret"])})
    assert tokens.status_code == 200, tokens.text
    assert tokens.json()["token_type"] == "bearer"
    headers = {"Authorization": f"Bearer {tokens.json()['access_token']}",
               "Client-Id": str(app["client_id"])}
    alone = api.get("/helix/users", headers=headers)
    assert alone.status_code == 400, alone.text
    assert alone.json()["message"] == "Must provide an ID, Login or OAuth Token"
    stranger = api.post("/oauth2/revoke", params={
        "client_id": WEB_CLIENT, "token": tokens.json()["access_token"]})
    assert stranger.status_code == 400, stranger.text
    assert api.get("/helix/streams", headers=headers).status_code == 200


def test_tokens_come_in_twitchs_shape(api: httpx.Client) -> None:
    account = signed_in(api, "tok")
    refreshed = api.post("/oauth2/token", params={
        "grant_type": "refresh_token", "refresh_token": account.refresh_token,
        "client_id": WEB_CLIENT})
    assert refreshed.status_code == 200, refreshed.text
    tokens = refreshed.json()
    assert tokens["token_type"] == "bearer"
    assert "chat:read" in tokens["scope"]
    assert isinstance(tokens["expires_in"], int)
    again = api.post("/oauth2/token", data={
        "grant_type": "refresh_token", "refresh_token": account.refresh_token,
        "client_id": WEB_CLIENT})
    assert again.status_code == 400
    assert (again.json()["status"], again.json()["error"]) == (400, "invalid_grant")
