"""The channel page feels alive: uptime ticks, the page's own heartbeat raises the viewer count,
the category has its own page, chat stays at the newest line unless the reader scrolls up, and
a followed channel's going live shows in the sidebar and as a notice while the app is open."""

from __future__ import annotations

import json
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect
from websockets.sync.client import ClientConnection

from castline.processes import stop
from tests.browser.conftest import LiveChannel, Opener, log_in, new_user, screenshot
from tests.conftest import ARTIFACTS
from tests.e2e.conftest import is_live, new_streamer
from tests.e2e.publisher import publish
from tests.integration.oauth_helpers import Account, password_grant, signed_in
from tests.integration.test_chat import join
from tests.integration.test_profiles import tiny_png
from tests.running import CLIENT_TIMEOUT_S
from tests.waiting import until

CHAT_LINES = 30


@pytest.fixture
def api(site: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, timeout=CLIENT_TIMEOUT_S) as client:
        yield client


def account_of(api: httpx.Client, username: str) -> Account:
    tokens = password_grant(api, username).json()
    return Account(username, f"{username}@example.com", tokens["access_token"],
                   tokens["refresh_token"])


def say(ws: ClientConnection, text: str) -> None:
    """Post and wait for the decider's ack."""
    nonce = uuid4().hex
    ws.send(json.dumps({"type": "message", "text": text, "nonce": nonce}))
    while True:
        frame = json.loads(ws.recv(timeout=CLIENT_TIMEOUT_S))
        if frame.get("nonce") == nonce:
            assert frame["type"] == "ack", frame
            return


def test_uptime_ticks_the_page_counts_itself_and_the_category_has_a_page(
        live_channel: LiveChannel, open_page: Opener, api: httpx.Client) -> None:
    streamer = account_of(api, live_channel.name)
    category = api.get("/api/v1/categories").json()["data"][1]["name"]
    changed = api.patch(f"/api/v1/channels/{live_channel.name}", headers=streamer.auth,
                        json={"category": category})
    assert changed.status_code in (200, 202), changed.text
    until(lambda: api.get(f"/api/v1/channels/{live_channel.name}").json()["data"]["category"],
          lambda found: found == category, 30, "the category to be read back")
    page = open_page(f"/channels/{live_channel.name}")
    uptime = page.get_by_test_id("uptime")
    expect(uptime).to_contain_text("up 0:")
    first = uptime.inner_text()
    expect(uptime).not_to_have_text(first)
    viewers = page.get_by_test_id("viewers")
    expect(viewers).not_to_have_text("0", timeout=40_000)
    # While it plays, the player says how far behind the live edge it is (hls.js's estimate).
    expect(page.locator(".player .latency")).to_have_text(re.compile(r"^Latency \d+\.\d s$"))
    screenshot(page, "channel-live-page")
    page.get_by_role("link", name=category).click()
    expect(page.get_by_role("heading", name=category)).to_be_visible()
    expect(page.get_by_role("link", name=live_channel.name)).to_be_visible()


def at_bottom(page: Page) -> bool:
    found: bool = page.get_by_label("Chat messages").evaluate(
        "list => list.scrollHeight - list.scrollTop - list.clientHeight < 24")
    return found


def test_chat_waits_while_the_reader_scrolls_up(live_channel: LiveChannel, open_page: Opener,
                                                api: httpx.Client, site: str) -> None:
    page = open_page(f"/channels/{live_channel.name}")
    lines = page.get_by_label("Chat messages")
    with join(site, live_channel.name, account_of(api, live_channel.name)) as ws:
        for number in range(CHAT_LINES):
            say(ws, f"line {number}")
        expect(lines.locator("li", has_text=f"line {CHAT_LINES - 1}")).to_be_visible()
        until(lambda: at_bottom(page), bool, 10, "chat to follow the newest line")
        lines.evaluate("list => list.scrollTo({ top: 0 })")
        expect(lines.locator("li", has_text="line 0")).to_be_in_viewport()
        say(ws, "while you were reading")
    more = page.get_by_role("button", name="More messages below")
    expect(more).to_be_visible()
    expect(lines.locator("li", has_text="line 0")).to_be_in_viewport()
    more.click()
    expect(more).to_be_hidden()
    expect(lines.locator("li", has_text="while you were reading")).to_be_in_viewport()


def test_a_followed_channel_going_live_shows_in_the_sidebar_and_as_a_notice(
        open_page: Opener, api: httpx.Client, site: str) -> None:
    streamer = new_streamer(api)
    channel = streamer.account.username
    viewer_name = new_user(site, "fan")
    viewer = account_of(api, viewer_name)
    until(lambda: api.get(f"/api/v1/channels/{channel}").status_code, lambda s: s == 200, 30,
          "the channel to be read back")
    followed = api.post(f"/api/v1/channels/{channel}/follow", headers=viewer.auth)
    assert followed.status_code == 202, followed.text
    until(lambda: [c["name"] for c in api.get("/api/v1/users/me/following",
                                               headers=viewer.auth).json()["data"]],
          lambda names: channel in names, 30, "the follow to be read back")
    page = open_page()
    log_in(page, viewer_name, "/")
    sidebar = page.get_by_role("complementary", name="Following")
    expect(sidebar.get_by_role("link", name=channel)).to_contain_text("Offline")
    logs = ARTIFACTS / "ffmpeg" / "browser"
    logs.mkdir(parents=True, exist_ok=True)
    publisher: subprocess.Popen[bytes] = publish(streamer.server, streamer.key,
                                                 Path(logs / f"{channel}.log"), seconds=120)
    try:
        until(lambda: is_live(api, channel), bool, 30, "the channel to go live")
        notice = page.get_by_role("link", name=f"{channel} went live")
        expect(notice).to_be_visible(timeout=40_000)
        expect(sidebar.get_by_role("link", name=channel)).to_contain_text("●")
        screenshot(page, "went-live-notice")
        notice.click()
        expect(page.get_by_role("heading", name=channel)).to_be_visible()
    finally:
        stop(publisher, signal.SIGINT, grace_s=5)


def test_the_following_sidebar_is_a_drawer_on_phones(open_page: Opener, api: httpx.Client,
                                                     site: str) -> None:
    fan = signed_in(api, "phonefan")
    page = open_page(phone=True)
    log_in(page, fan.username, "/")
    sidebar = page.get_by_role("complementary", name="Following")
    expect(sidebar).to_be_hidden()
    toggle = page.get_by_role("button", name="Following")
    toggle.click()
    expect(sidebar).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_face_and_a_chat_colour_chosen_on_the_dashboard_show_everywhere(
        live_channel: LiveChannel, open_page: Opener, tmp_path: Path) -> None:
    image = tmp_path / "face.png"
    image.write_bytes(tiny_png())
    dashboard = live_channel.page
    dashboard.goto("/dashboard")
    profile = dashboard.get_by_role("region", name="Profile")
    profile.get_by_label("Profile image").set_input_files(image)
    profile.get_by_label("Chat colour").fill("#ff7f50")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("status")).to_have_text("Profile saved.")
    page = open_page(f"/channels/{live_channel.name}")
    face = page.locator(".channel-head img.avatar")
    until(lambda: loaded(page, face), bool, 30, "the channel's face in its header")
    log_in(page, live_channel.name, f"/channels/{live_channel.name}")
    page.get_by_label("Send a message").fill("in my own colour")
    page.get_by_role("button", name="Chat", exact=True).click()
    line = page.get_by_label("Chat messages").locator("li", has_text="in my own colour")
    expect(line.locator(".author")).to_have_css("color", "rgb(255, 127, 80)")
    expect(line.locator("img.avatar")).to_be_visible()
    assert line.locator("img.avatar").evaluate("img => img.complete && img.naturalWidth > 0")


def loaded(page: Page, image: Locator) -> bool:
    """Whether the image shows, the page loaded again until then."""
    page.reload()
    if image.count() == 0:
        return False
    shown: bool = image.evaluate("img => img.complete && img.naturalWidth > 0")
    return shown
