"""How Helix writes a video's length."""

from __future__ import annotations

import pytest

from gateways.helix.videos import twitch_duration


@pytest.mark.parametrize(("duration_ms", "written"), [
    (0, "0s"), (499, "0s"), (5_000, "5s"), (60_000, "1m0s"), (65_400, "1m5s"),
    (3_600_000, "1h0m0s"), (3_723_000, "1h2m3s"), (90_061_000, "25h1m1s")])
def test_twitch_duration(duration_ms: int, written: str) -> None:
    assert twitch_duration(duration_ms) == written
