"""OAuth's device code flow as id.twitch.tv answers it, driven by twitchAPI's CodeFlow: a device
asks for a code, its user approves it through Castline's own app, the device's polling gets the
tokens, and they read Helix. Refusals: an unknown app, an expired code, a denied one, a code
used twice."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import psycopg
from twitchAPI.helper import first
from twitchAPI.oauth import CodeFlow
from twitchAPI.twitch import Twitch
from twitchAPI.type import AuthScope

from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.test_oauth import register_app
from tests.running import RunningPlatform

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def device_app(api: httpx.Client, owner: Account) -> str:
    app = register_app(api, owner, confidential=False,
                       grant_types=[DEVICE_GRANT, "refresh_token"])
    return str(app["client_id"])


def ask_code(api: httpx.Client, client_id: str) -> dict[str, Any]:
    answer = api.post("/oauth2/device", data={"client_id": client_id,
                                               "scopes": "user:read:email chat:read"})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def poll(api: httpx.Client, client_id: str, device_code: str) -> httpx.Response:
    return api.post("/oauth2/token", data={
        "client_id": client_id, "device_code": device_code, "grant_type": DEVICE_GRANT})


def answer(api: httpx.Client, user: Account, user_code: str, approve: bool) -> httpx.Response:
    return api.post(f"/api/v1/oauth2/device/{user_code}", headers=user.auth,
                    json={"approve": approve})


def test_twitchapi_gets_a_users_tokens_by_the_device_flow(platform: RunningPlatform,
                                                          api: httpx.Client) -> None:
    user = signed_in(api, "dev")
    client_id = device_app(api, signed_in(api, "devapp"))
    base = platform.base_url

    async def scenario() -> str:
        twitch = await Twitch(client_id, authenticate_app=False, base_url=f"{base}/helix/",
                              auth_base_url=f"{base}/oauth2/")
        try:
            flow = CodeFlow(twitch, [AuthScope.USER_READ_EMAIL], auth_base_url=f"{base}/oauth2/")
            user_code, uri = await flow.get_code()
            assert uri == f"{base}/activate?public=true&device-code={user_code}"
            shown = await asyncio.to_thread(
                api.get, f"/api/v1/oauth2/device/{user_code.lower()}", headers=user.auth)
            assert shown.status_code == 200, shown.text
            assert shown.json()["data"]["scopes"] == ["user:read:email"]
            approved = await asyncio.to_thread(answer, api, user, user_code, True)
            assert approved.status_code == 200, approved.text
            token, refresh = await flow.wait_for_auth_complete()
            await twitch.set_user_authentication(token, [AuthScope.USER_READ_EMAIL], refresh)
            me = await first(twitch.get_users())
            assert me is not None
            assert (me.login, me.email) == (user.username, user.email)
            return user_code
        finally:
            await twitch.close()

    user_code = asyncio.run(scenario())
    again = answer(api, user, user_code, False)
    assert again.status_code == 404, again.text


def test_the_device_flow_refuses_as_twitch_does(platform: RunningPlatform,
                                                api: httpx.Client) -> None:
    user = signed_in(api, "devno")
    client_id = device_app(api, signed_in(api, "devnoapp"))
    unknown = api.post("/oauth2/device", data={"client_id": "nobody", "scopes": ""})
    assert (unknown.status_code, unknown.json()["error"]) == (400, "invalid_client")

    pending = ask_code(api, client_id)
    assert (pending["interval"], pending["expires_in"]) == (5, 1800)
    first_poll = poll(api, client_id, pending["device_code"])
    assert first_poll.json()["error"] == "authorization_pending", first_poll.text
    too_soon = poll(api, client_id, pending["device_code"])
    assert (too_soon.status_code, too_soon.json()["error"]) == (400, "slow_down")
    assert poll(api, "nobody", pending["device_code"]).status_code == 400

    denied = ask_code(api, client_id)
    assert answer(api, user, denied["user_code"], False).status_code == 200
    assert answer(api, user, denied["user_code"], True).status_code == 409
    refused = poll(api, client_id, denied["device_code"])
    assert (refused.status_code, refused.json()["error"]) == (400, "access_denied")

    used = ask_code(api, client_id)
    assert answer(api, user, used["user_code"], True).status_code == 200
    assert poll(api, client_id, used["device_code"]).status_code == 200
    reused = poll(api, client_id, used["device_code"])
    assert (reused.status_code, reused.json()["error"]) == (400, "invalid_request")

    expired = ask_code(api, client_id)
    with psycopg.connect(platform.settings.postgres, autocommit=True) as conn:
        conn.execute("UPDATE oauth_device_codes SET expires_at = now() - interval '1 second' "
                     "WHERE user_code = %s", (expired["user_code"],))
    assert answer(api, user, expired["user_code"], True).status_code == 404
    late = poll(api, client_id, expired["device_code"])
    assert (late.status_code, late.json()["error"]) == (400, "expired_token")


def test_only_castlines_own_app_approves_a_device(api: httpx.Client) -> None:
    client_id = device_app(api, signed_in(api, "devown"))
    code = ask_code(api, client_id)["user_code"]
    assert api.post(f"/api/v1/oauth2/device/{code}", json={"approve": True}).status_code == 401
    assert api.get("/api/v1/oauth2/device/BCDFGHJK",
                   headers=signed_in(api, "devnf").auth).status_code == 404
