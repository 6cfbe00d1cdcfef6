"""The clip rules: 5-60 s, from the last 90 s of a live stream, or inside a VOD."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gateways.clip_windows import ClipRefused, LiveCut, VodCut, live_cut, vod_cut

NOW = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(hours=1)


def refusal(cut: object, *args: object) -> ClipRefused:
    with pytest.raises(ClipRefused) as raised:
        cut(*args)  # type: ignore[operator]
    return raised.value


def test_a_live_clip_ends_now_or_offset_s_before() -> None:
    assert live_cut(NOW, LONG_AGO, 30) == LiveCut(NOW - timedelta(seconds=30), 30_000)
    assert live_cut(NOW, LONG_AGO, 5.5, 10) == LiveCut(NOW - timedelta(seconds=15.5), 5_500)
    assert live_cut(NOW, LONG_AGO, 60, 30).start_at == NOW - timedelta(seconds=90)


@pytest.mark.parametrize(("duration_s", "error"), [(4.9, "clip_too_short"), (0, "clip_too_short"),
                                                   (60.5, "clip_too_long")])
def test_clips_last_5_to_60_s(duration_s: float, error: str) -> None:
    for refused in (refusal(live_cut, NOW, LONG_AGO, duration_s),
                    refusal(vod_cut, 600_000, 0, duration_s)):
        assert (refused.error, refused.field) == (error, "duration_s")


def test_a_live_clip_comes_from_the_last_90_s_of_what_was_streamed() -> None:
    assert refusal(live_cut, NOW, LONG_AGO, 60, 31).error == "out_of_window"
    assert refusal(live_cut, NOW, LONG_AGO, 10, -1).field == "offset_s"
    young = refusal(live_cut, NOW, NOW - timedelta(seconds=20), 30)
    assert (young.error, young.field) == ("out_of_window", "duration_s")
    assert "live 20 s" in young.message
    assert live_cut(NOW, NOW - timedelta(seconds=20), 20).start_at == NOW - timedelta(seconds=20)


def test_an_offline_channel_has_no_live_clip() -> None:
    assert refusal(live_cut, NOW, None, 30).error == "not_live"


def test_a_vod_clip_begins_and_ends_inside_the_video() -> None:
    assert vod_cut(20_000, 2, 5) == VodCut(2_000, 5_000)
    assert vod_cut(20_000, 15, 5) == VodCut(15_000, 5_000)
    assert refusal(vod_cut, 20_000, 16, 5).field == "duration_s"
    assert refusal(vod_cut, 20_000, 20, 5).field == "start_s"
    assert refusal(vod_cut, 20_000, -1, 5).error == "out_of_window"
