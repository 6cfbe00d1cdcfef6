"""The live-edge latency a viewer gets: the web app's channel page in headless Chromium, whose
player shows what hls.js reports (`hls.latency`: seconds behind the playlist's live edge)."""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from castline.webapp import CHROMIUM_ARGS, build, chromium

READOUT_WAIT_MS = 30_000
SAMPLE_EVERY_MS = 1_000


def player_latencies(site: str, channel: str, settle_s: float, seconds: float) -> list[float]:
    """The player's latency readout, once a second for `seconds` after playing `settle_s`;
    empty when the page never played."""
    build()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{site}/channels/{channel}")
            readout = page.locator(".player .latency")
            try:
                readout.wait_for(timeout=READOUT_WAIT_MS)
            except PlaywrightError:
                return []
            page.wait_for_timeout(settle_s * 1000)
            samples = []
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                # The readout is away while hls.js has no estimate (a stall): no sample then.
                samples += [float(text.split()[1]) for text in readout.all_text_contents()]
                page.wait_for_timeout(SAMPLE_EVERY_MS)
            return samples
        finally:
            browser.close()
