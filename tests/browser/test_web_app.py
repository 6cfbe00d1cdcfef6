"""The web app end to end in headless Chromium: sign-up, a real stream playing, chat between
two sessions, subscribing and cheering, a moderator's timeout, a donation and the streamer's
dashboard."""

from __future__ import annotations

from uuid import uuid4

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    LiveChannel,
    Opener,
    log_in,
    new_user,
    screenshot,
)
from tests.integration.oauth_helpers import PASSWORD
from tests.integration.watching import viewers
from tests.waiting import until

TEST_CARD = "4242 4242 4242 4242"


def send_chat(page: Page, text: str) -> None:
    page.get_by_label("Send a message").fill(text)
    page.get_by_role("button", name="Chat", exact=True).click()


def chat_line(page: Page, text: str) -> Locator:
    return page.get_by_label("Chat messages").locator("li", has_text=text)


def card_thumbnail_shown(page: Page, channel: str) -> bool:
    """Whether the channel's card shows a loaded still (the page is loaded again until then)."""
    page.reload()
    card = page.get_by_role("link", name=channel).first
    expect(card).to_be_visible()
    shown: bool = card.locator("img.card-thumb").evaluate(
        "img => img.complete && img.naturalWidth > 0")
    return shown


def viewer_and_broadcaster(open_page: Opener, site: str, channel: str, prefix: str,
                           phone: bool = False) -> tuple[str, Page, Page]:
    """A new viewer and the broadcaster, each signed in on the channel page in a browser."""
    viewer_name = new_user(site, prefix)
    viewer = open_page(phone=phone)
    log_in(viewer, viewer_name, f"/channels/{channel}")
    broadcaster = open_page()
    log_in(broadcaster, channel, f"/channels/{channel}")
    return viewer_name, viewer, broadcaster


def test_sign_up_through_the_ui_and_see_api_errors(open_page: Opener) -> None:
    username = f"web_{uuid4().hex[:12]}"
    page = open_page("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Creator dashboard")).to_be_visible()
    expect(page.get_by_label("Signed in as")).to_have_text(username)
    screenshot(page, "signed-up-dashboard")

    # An access token the API refuses: the app renews it with the refresh token (rotated) and
    # goes on.
    stored = "() => JSON.parse(sessionStorage.getItem('castline.session'))"
    before = page.evaluate(stored)
    page.evaluate("""() => sessionStorage.setItem('castline.session', JSON.stringify(
        {...JSON.parse(sessionStorage.getItem('castline.session')), access_token: 'expired'}))""")
    page.reload()
    page.get_by_role("button", name="Get a stream key").click()
    expect(page.get_by_test_id("stream-key")).to_be_attached()
    after = page.evaluate(stored)
    assert after["access_token"] not in (before["access_token"], "expired")
    assert after["refresh_token"] != before["refresh_token"]

    again = open_page("/signup")
    again.get_by_label("Username").fill(username)
    again.get_by_label("Email").fill(f"other-{username}@example.com")
    again.get_by_label("Password").fill(PASSWORD)
    again.get_by_role("button", name="Sign up").click()
    expect(again.get_by_role("alert")).to_contain_text("username")
    screenshot(again, "sign-up-conflict")


def test_found_live_stream_plays_with_a_quality_selector(live_channel: LiveChannel,
                                                   open_page: Opener, site: str) -> None:
    page = open_page("/")
    until(lambda: card_thumbnail_shown(page, live_channel.name), bool, 30,
          "the live channel's card to show its thumbnail")
    page.get_by_role("link", name="Search").click()
    page.get_by_role("searchbox").fill(live_channel.name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("main").get_by_role("link", name=live_channel.name).click()
    expect(page.get_by_role("heading", name=live_channel.name)).to_be_visible()
    advancing = "t => { const v = document.querySelector('video'); return v && v.currentTime > t; }"
    page.wait_for_function(advancing, arg=1, timeout=40_000)
    started = page.evaluate("document.querySelector('video').currentTime")
    page.wait_for_function(advancing, arg=started + 1, timeout=20_000)
    quality = page.get_by_label("Quality")
    expect(quality.locator("option")).to_have_count(4)  # Auto, the source and two renditions
    quality.select_option(label="160p")
    screenshot(page, "channel-playing")
    with httpx.Client(base_url=site, timeout=20) as api:  # its player token, then heartbeats
        until(lambda: viewers(api, live_channel.name), lambda n: n >= 1, 30,
              "the playing page to count as a viewer")


def test_chat_between_two_sessions_with_badges_and_emotes(live_channel: LiveChannel,
                                                          open_page: Opener, site: str) -> None:
    _, viewer, streamer = viewer_and_broadcaster(open_page, site, live_channel.name, "chat",
                                                 phone=True)

    send_chat(viewer, "hello from the phone \N{VIDEO GAME} Kappa ok")
    line = chat_line(streamer, "hello from the phone")
    kappa = line.get_by_role("img", name="Kappa")
    expect(kappa).to_be_visible()
    # The decider's positions count code points: an emoji before the emote moves nothing.
    expect(line.locator(".text")).to_have_text("hello from the phone \N{VIDEO GAME}  ok")
    assert kappa.evaluate("img => img.complete && img.naturalWidth > 0"), "the emote is no image"
    send_chat(streamer, "welcome in GG")
    expect(chat_line(viewer, "welcome in").locator(".badge")).to_have_text("Broadcaster")
    viewer.get_by_role("button", name=f"Reply to {live_channel.name}").click()
    expect(viewer.get_by_test_id("replying")).to_contain_text("welcome in GG")
    send_chat(viewer, "thanks, glad to be here")
    reply = chat_line(streamer, "thanks, glad to be here")
    expect(reply.locator(".reply-quote")).to_have_text(
        f"↪ Replying to @{live_channel.name}: welcome in GG")
    expect(viewer.get_by_test_id("replying")).to_have_count(0)
    assert viewer.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(viewer, "chat-phone")


def test_subscribe_buy_bits_and_cheer_in_chat(live_channel: LiveChannel,
                                              open_page: Opener, site: str) -> None:
    fan = new_user(site, "fan")
    page = open_page()
    log_in(page, fan, f"/channels/{live_channel.name}")
    subscribe = page.get_by_role("region", name="Subscribe")
    subscribe.get_by_label("Card number").fill(TEST_CARD)
    subscribe.get_by_role("button", name="Subscribe").click()
    expect(subscribe.get_by_test_id("subscription")).to_contain_text("Subscribed at Tier 1")
    expect(page.locator(".chat .subscription")).to_have_text(f"★ {fan} subscribed at Tier 1!")

    bits = page.get_by_role("region", name="Bits")
    bits.get_by_label("Pack").select_option(value="100")
    bits.get_by_label("Card number").fill("4000 0000 0000 0002")
    bits.get_by_role("button", name="Buy bits").click()
    expect(bits.get_by_role("alert")).to_contain_text("declined")
    bits.get_by_label("Card number").fill(TEST_CARD)
    bits.get_by_role("button", name="Buy bits").click()
    expect(bits.get_by_test_id("bits-balance")).to_have_text("100")
    bits.get_by_label("Bits to cheer").fill("100")
    bits.get_by_label("Cheer message").fill("great stream")
    bits.get_by_role("button", name="Cheer").click()
    cheer = chat_line(page, "great stream")
    expect(cheer.locator(".bits")).to_have_text("◆ 100 bits")
    expect(cheer.locator(".badge")).to_have_text("Sub T1")
    expect(bits.get_by_test_id("bits-balance")).to_have_text("0")
    screenshot(page, "cheer-in-chat")


def test_moderator_timeout_refuses_the_users_messages(live_channel: LiveChannel,
                                                      open_page: Opener, site: str) -> None:
    troll_name, troll, streamer = viewer_and_broadcaster(open_page, site, live_channel.name,
                                                         "troll")

    send_chat(troll, "first message before the timeout")
    expect(chat_line(streamer, "first message before the timeout")).to_be_visible()
    streamer.get_by_role("button", name=f"Time out {troll_name} for 10 minutes").click()
    expect(chat_line(troll, f"{troll_name} was timed out")).to_be_visible()
    expect(chat_line(troll, "first message before the timeout")).to_have_count(0)
    send_chat(troll, "can I still talk?")
    refusal = troll.locator(".chat [role=alert]")
    expect(refusal).to_have_attribute("data-reason", "timed_out")
    expect(refusal).to_contain_text("you are timed out for")
    screenshot(troll, "timed-out")


def test_donation_and_the_streamer_dashboard(live_channel: LiveChannel, open_page: Opener,
                                             site: str) -> None:
    donor = open_page()
    log_in(donor, new_user(site, "donor"), f"/channels/{live_channel.name}")
    donate = donor.get_by_role("region", name="Donate")
    donate.get_by_label("Amount").fill("5")
    donate.get_by_label("Message").fill("keep it up")
    donate.get_by_label("Card number").fill(TEST_CARD)
    donate.get_by_role("button", name="Donate").click()
    expect(donate.get_by_role("status")).to_contain_text("You donated $5.00")
    expect(donor.locator(".chat .donation", has_text="keep it up")).to_contain_text("$5.00")

    category = httpx.get(f"{site}/api/v1/categories", timeout=10).json()["data"][0]["name"]
    dashboard = live_channel.page
    dashboard.reload()
    info = dashboard.get_by_role("region", name="Stream info")
    info.get_by_label("Title").fill("Speedrun night")
    info.get_by_label("Category").fill(category)
    info.get_by_role("button", name="Save").click()
    expect(info.get_by_role("status")).to_have_text("Saved.")
    expect(donor.get_by_text("Speedrun night")).to_be_visible()

    modes = dashboard.get_by_role("region", name="Moderation")
    modes.get_by_label("Slow mode").fill("3")
    modes.get_by_role("button", name="Save chat modes").click()
    expect(modes.get_by_text("Chat modes saved.")).to_be_visible()
    expect(chat_line(donor, "Chat modes: slow mode (3 s)")).to_be_visible()
    until(lambda: httpx.get(f"{site}/api/v1/channels/{live_channel.name}/chat/settings",
                            timeout=20).json()["data"]["slow_mode_s"], lambda s: s == 3, 30,
          "the modes to be read back")

    dashboard.reload()
    modes = dashboard.get_by_role("region", name="Moderation")
    expect(modes.get_by_label("Slow mode")).to_have_value("3")
    earnings = dashboard.get_by_role("region", name="Earnings")
    expect(earnings.get_by_role("row", name="donation")).to_be_visible(timeout=40_000)
    charts = dashboard.get_by_role("region", name="Recent streams")
    expect(charts.get_by_role("img", name="Peak viewers")).to_be_visible(timeout=40_000)
    expect(dashboard.get_by_test_id("live-status")).to_contain_text("You are live")
    screenshot(dashboard, "dashboard")
