"""Headless Debian Chromium, driven by Playwright, against the platform the session started;
the gateway serves the web app built before it starts. Screenshots go to test-artifacts."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, expect, sync_playwright

from castline.processes import stop
from castline.webapp import CHROMIUM_ARGS, build, chromium
from tests.conftest import ARTIFACTS
from tests.e2e.publisher import publish
from tests.integration.oauth_helpers import PASSWORD, sign_up
from tests.running import RunningPlatform

SCREENSHOTS = ARTIFACTS / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def web_build() -> Path:
    """Built before the platform fixture starts the gateway, which serves what it finds."""
    return build()


@pytest.fixture(scope="session")
def site(web_build: Path, platform: RunningPlatform) -> str:
    page = httpx.get(f"{platform.base_url}/channels/anyone", timeout=10)
    assert '<div id="root">' in page.text, (
        "the gateway does not serve the web app: was it started before the build?")
    return platform.base_url


# Module-scoped: Playwright's sync API keeps an event loop running while it is open, and
# asyncio.run in later tests of the session would refuse to start.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
    expect.set_options(timeout=20_000)
    yield launched
    launched.close()


Opener = Callable[..., Page]


@pytest.fixture
def open_page(browser: Browser, site: str, request: pytest.FixtureRequest) -> Iterator[Opener]:
    """Each call a new browser session (its own context: cookies, sessionStorage). Anything the
    Content-Security-Policy blocked fails the test."""
    pages: list[Page] = []
    blocked: list[str] = []

    def open_page(path: str = "/", phone: bool = False) -> Page:
        context = browser.new_context(base_url=site, viewport=PHONE if phone else None)
        page = context.new_page()
        page.on("console", lambda message: blocked.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(path)
        pages.append(page)
        return page

    yield open_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages, 1):
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}-end-{number}.png", full_page=True)
        page.context.close()
    assert not blocked, blocked


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def log_in(page: Page, username: str, then: str) -> None:
    page.goto(f"/login?next={then}")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("Signed in as")).to_have_text(username)


def new_user(site: str, prefix: str) -> str:
    with httpx.Client(base_url=site, timeout=40) as api:
        username, _ = sign_up(api, prefix)
    return username


@dataclass
class LiveChannel:
    name: str
    page: Page  # the broadcaster's dashboard


@pytest.fixture(scope="module")
def live_channel(browser: Browser, site: str) -> Iterator[LiveChannel]:
    """A streamer who took a key from the dashboard and publishes with ffmpeg as OBS would."""
    name = new_user(site, "web")
    context = browser.new_context(base_url=site)
    page = context.new_page()
    log_in(page, name, "/dashboard")
    page.get_by_role("button", name="Get a stream key").click()
    key = page.get_by_test_id("stream-key")
    expect(key).to_have_attribute("type", "password")
    page.get_by_role("button", name="Reveal").click()
    expect(key).to_have_attribute("type", "text")
    server = page.get_by_test_id("rtmp-server").inner_text()
    logs = ARTIFACTS / "ffmpeg" / "browser"
    logs.mkdir(parents=True, exist_ok=True)
    # Long enough for the whole module on a loaded machine; stopped when the module ends.
    publisher: subprocess.Popen[bytes] = publish(server, key.input_value(), logs / f"{name}.log",
                                                 seconds=900)
    try:
        expect(page.get_by_test_id("live-status")).to_contain_text("You are live",
                                                                   timeout=30_000)
        screenshot(page, "dashboard-live")
        yield LiveChannel(name, page)
    finally:
        stop(publisher, signal.SIGINT, grace_s=5)
        context.close()
