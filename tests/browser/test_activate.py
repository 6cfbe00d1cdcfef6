"""OAuth's device code flow in the web app: a device shows its code and the address to enter
it at; its user opens that address, signs in, sees what the device's app asks for, approves,
and the device's next poll gets tokens in the user's name."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Opener, new_user, screenshot
from tests.integration.oauth_helpers import PASSWORD, signed_in
from tests.integration.test_oauth_device import ask_code, device_app, poll


def test_a_user_approves_a_devices_code_and_the_device_is_signed_in(
    open_page: Opener, site: str,
) -> None:
    with httpx.Client(base_url=site, timeout=40) as api:
        client_id = device_app(api, signed_in(api, "dev"))
        code = ask_code(api, client_id)
        user = new_user(site, "tv")
        shown = urlsplit(code["verification_uri"])
        page = open_page(f"{shown.path}?{shown.query}")
        page.get_by_label("Username or email").fill(user)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_label("The code your device shows")).to_have_value(code["user_code"])
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("chat:read", exact=True)).to_be_visible()
        page.get_by_role("button", name="Approve").click()
        expect(page.get_by_text("Approved: your device is signed in")).to_be_visible()
        screenshot(page, "device-approved")
        tokens = poll(api, client_id, code["device_code"])  # its first poll: never too soon
        assert tokens.status_code == 200, tokens.text
        validated = api.get("/oauth2/validate", headers={
            "Authorization": f"OAuth {tokens.json()['access_token']}"})
        assert validated.json()["login"] == user
