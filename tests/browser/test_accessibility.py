"""Accessibility, measured: axe-core (the npm package the web app's set-up installs) finds no
serious or critical violation on any page, on a desktop and on a phone; the player, chat and
dashboard are usable with the keyboard alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import LiveChannel, Opener, log_in, new_user, screenshot
from tests.browser.test_web_app import chat_line

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
TAB_LIMIT = 80
SHOWN = ("home", "channel", "dashboard")  # pages whose screenshots the docs show


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now. Evaluated through
    the browser's debugging protocol, which the page's Content-Security-Policy does not govern."""
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(AXE.read_text())
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
        ".map(v => ({ id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')) }))")
    return [v for v in found if v["impact"] in BLOCKING]


def pages(channel: str, category: str) -> dict[str, str]:
    return {"home": "/", "search": "/search?q=web", "channel": f"/channels/{channel}",
            "category": f"/categories/{category}", "login": "/login", "signup": "/signup",
            "missing": "/nowhere"}


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_no_serious_violations_on_any_page(live_channel: LiveChannel, open_page: Opener,
                                           site: str, phone: bool) -> None:
    viewer = new_user(site, "axe")
    page = open_page(phone=phone)
    log_in(page, viewer, "/")
    found = {}
    for name, path in [*pages(live_channel.name, "Art").items(), ("dashboard", "/dashboard")]:
        page.goto(path)
        expect(page.get_by_role("heading").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        found[name] = violations(page)
        if name in SHOWN:
            screenshot(page, f"{name}-{'phone' if phone else 'desktop'}")
    assert not any(found.values()), {name: v for name, v in found.items() if v}


def focused(locator: Locator) -> bool:
    is_active: bool = locator.evaluate("element => element === document.activeElement")
    return is_active


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(TAB_LIMIT):
        if focused(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reachable with Tab")


def test_the_player_chat_and_dashboard_with_the_keyboard_alone(
        live_channel: LiveChannel, open_page: Opener, site: str) -> None:
    page = open_page()
    log_in(page, new_user(site, "keys"), f"/channels/{live_channel.name}")
    quality = page.get_by_label("Quality")
    expect(quality.locator("option")).to_have_count(4)
    tab_to(page, page.get_by_label(f"Live stream of {live_channel.name}"))
    tab_to(page, quality)
    page.keyboard.press("ArrowDown")
    expect(quality).not_to_have_value("-1")
    tab_to(page, page.get_by_label("Send a message"))
    page.keyboard.type("typed without a mouse")
    page.keyboard.press("Enter")
    expect(chat_line(page, "typed without a mouse")).to_be_visible()

    dashboard = live_channel.page
    dashboard.reload()
    info = dashboard.get_by_role("region", name="Stream info")
    tab_to(dashboard, info.get_by_label("Title"))
    dashboard.keyboard.press("Control+A")
    dashboard.keyboard.type("Keyboard only")
    tab_to(dashboard, info.get_by_role("button", name="Save"))
    dashboard.keyboard.press("Enter")
    expect(info.get_by_role("status")).to_have_text("Saved.")
